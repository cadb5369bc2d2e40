import { loadReleaseTestingSettings } from './settings';

describe('release-testing settings', () => {
  it('defaults the minimum coverage to 90%', () => {
    expect(loadReleaseTestingSettings({})).toEqual({ minCoveragePercent: 90 });
  });

  it('reads RELEASE_TESTING_MIN_COVERAGE_PERCENT', () => {
    expect(loadReleaseTestingSettings({ RELEASE_TESTING_MIN_COVERAGE_PERCENT: '85.5' })).toEqual({
      minCoveragePercent: 85.5,
    });
  });

  it.each(['abc', '-1', '101'])('refuses %s, naming the variable', (value) => {
    expect(() => loadReleaseTestingSettings({ RELEASE_TESTING_MIN_COVERAGE_PERCENT: value })).toThrow(
      /RELEASE_TESTING_MIN_COVERAGE_PERCENT/,
    );
  });
});
