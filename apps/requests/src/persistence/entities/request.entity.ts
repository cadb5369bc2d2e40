import { EntitySchema } from 'typeorm';

export interface RequestRow {
  id: string;
  number: string;
  type: string;
  title: string;
  description: string;
  status: string;
  requestedPriority: string;
  customerId: string;
  requesterId: string;
  registeredAt: Date;
  version: number;
}

export const RequestEntity = new EntitySchema<RequestRow>({
  name: 'Request',
  tableName: 'request',
  columns: {
    id: { type: 'uuid', primary: true },
    number: { type: 'text', unique: true },
    type: { type: 'text' },
    title: { type: 'text' },
    description: { type: 'text' },
    status: { type: 'text' },
    requestedPriority: { name: 'requested_priority', type: 'text' },
    customerId: { name: 'customer_id', type: 'text' },
    requesterId: { name: 'requester_id', type: 'text' },
    registeredAt: { name: 'registered_at', type: 'timestamptz' },
    version: { type: 'int' },
  },
});

export interface RequestNumberCounterRow {
  year: number;
  lastNumber: number;
}

export const RequestNumberCounterEntity = new EntitySchema<RequestNumberCounterRow>({
  name: 'RequestNumberCounter',
  tableName: 'request_number_counter',
  columns: {
    year: { type: 'int', primary: true },
    lastNumber: { name: 'last_number', type: 'int' },
  },
});
