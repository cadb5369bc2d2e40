export * from './persistence/timer.entity';
export * from './persistence/timers-migration';
export * from './timer-store';
export * from './timer-service';
