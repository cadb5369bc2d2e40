export * from './persistence/timer.entity';
export * from './persistence/timers-migration';
export { TimerStore, type ScheduleTimer, type ScheduledTimer, type TimerRecord } from './timer-store';
export * from './timer-service';
