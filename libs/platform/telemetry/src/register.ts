/**
 * Imported first by every process's main.ts (before express, pg or graphql load, so the
 * instrumentations can patch them): starts tracing when the OTEL_* variables ask for it and
 * does nothing otherwise (docs/tracing.md).
 */
import { startTracingFromEnv } from './sdk';

startTracingFromEnv();
