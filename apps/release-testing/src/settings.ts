import { z } from 'zod';
import { loadConfig } from '@servicecenter/platform-config';
import { DEFAULT_MIN_COVERAGE_PERCENT } from './domain/advice';

/** Settings of the release-testing service beyond the ones every subgraph has. */
export function loadReleaseTestingSettings(source: Record<string, string | undefined>): { minCoveragePercent: number } {
  const raw = loadConfig(
    z.object({
      RELEASE_TESTING_MIN_COVERAGE_PERCENT: z.coerce
        .number({ message: 'must be a number' })
        .min(0, 'must be at least 0')
        .max(100, 'must be at most 100')
        .default(DEFAULT_MIN_COVERAGE_PERCENT),
    }),
    source,
  );
  return { minCoveragePercent: raw.RELEASE_TESTING_MIN_COVERAGE_PERCENT };
}
