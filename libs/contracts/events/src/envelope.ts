/**
 * CloudEvents 1.0 envelope with the extensions of DESIGN.md. On Kafka the attributes travel
 * as `ce_*` headers (binary content mode) and the body is `data` as JSON, so any Kafka
 * client can read our events without our libraries.
 */
export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  id: string;
  /** The producing service, e.g. `/servicecenter/requests`. */
  source: string;
  /** Versioned type, e.g. `servicecenter.request.registered.v1`. */
  type: string;
  time: string;
  /** The aggregate id; also the Kafka key, so one aggregate stays ordered. */
  subject: string;
  datacontenttype: 'application/json';
  correlationid?: string;
  causationid?: string;
  /** Who caused it: a person id, or `system:<service>` for timers and consumers. */
  actor?: string;
  /** Position in the producer's outbox, zero padded so it sorts as text. */
  sequence: string;
  /**
   * CloudEvents distributed-tracing extension: the W3C trace context of the operation that
   * wrote the event (absent when tracing is off). A consumer continues the trace from it
   * (docs/tracing.md).
   */
  traceparent?: string;
  tracestate?: string;
  data: T;
}

const ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'correlationid',
  'causationid',
  'actor',
  'sequence',
  'traceparent',
  'tracestate',
] as const;

export type WireHeaders = Record<string, string>;

/** Each attribute with its header name, built once (every event is encoded and decoded per consumer). */
const HEADER_OF = ATTRIBUTES.map((attr) => [attr, `ce_${attr}`] as const);

/**
 * The envelope's attributes as headers and its data as the body: `body` when the caller holds
 * the data's JSON text already (the outbox stores it as text), else the data serialised.
 */
export function toBinaryMode(
  envelope: EventEnvelope,
  body: string = JSON.stringify(envelope.data),
): { headers: WireHeaders; body: string } {
  const headers: WireHeaders = { 'content-type': envelope.datacontenttype };
  for (const [attr, header] of HEADER_OF) {
    const value = envelope[attr];
    if (value !== undefined && value !== null) headers[header] = String(value);
  }
  return { headers, body };
}

export function fromBinaryMode(headers: Record<string, string | undefined>, body: string | null): EventEnvelope {
  const id = headers['ce_id'];
  const type = headers['ce_type'];
  if (!id || !type) throw new Error('not a CloudEvent: ce_id or ce_type header missing');
  const envelope: EventEnvelope = {
    specversion: '1.0',
    id,
    type,
    source: headers['ce_source'] ?? 'unknown',
    time: headers['ce_time'] ?? EPOCH,
    subject: headers['ce_subject'] ?? '',
    datacontenttype: 'application/json',
    correlationid: headers['ce_correlationid'],
    causationid: headers['ce_causationid'],
    actor: headers['ce_actor'],
    sequence: headers['ce_sequence'] ?? '',
  } as EventEnvelope;
  // The same key order as the envelope written to the outbox: trace context, then data.
  const traceparent = headers['ce_traceparent'];
  if (traceparent) envelope.traceparent = traceparent;
  const tracestate = headers['ce_tracestate'];
  if (tracestate) envelope.tracestate = tracestate;
  envelope.data = body === null || body === '' ? null : JSON.parse(body);
  return envelope;
}

const EPOCH = new Date(0).toISOString();

export const formatSequence = (seq: number | string) => String(seq).padStart(20, '0');
