export { BusinessCalendar } from './business-calendar';
export {
  businessCalendarDefinitionSchema,
  DEFAULT_WORKING_HOURS,
  ISO_WEEKDAYS,
  type BusinessCalendarDefinition,
  type BusinessCalendarDefinitionInput,
  type IsoWeekday,
  type WorkingInterval,
} from './definition';
export type { Holiday } from './holidays';
