import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of an executable on PATH, or undefined. */
export function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A test that needs a program outside node_modules (promtool, prometheus: Debian package
 * `prometheus`). Without it a developer's run skips the test and says how to get it; with
 * CI=true the test fails, so CI can never pass without running it (.ci/run installs it).
 */
export function itWithBinary(
  binary: string,
  install: string,
  title: string,
  fn: (path: string) => Promise<void>,
  timeoutMs?: number,
): void {
  const path = findBinary(binary);
  if (path) {
    it(title, () => fn(path), timeoutMs);
    return;
  }
  const reason = `${binary} is not on PATH (${install})`;
  if (process.env.CI === 'true') {
    it(title, () => {
      throw new Error(`${reason}; CI must run this test`);
    });
    return;
  }
  console.warn(`Skipping "${title}": ${reason}`);
  it.skip(`${title} [skipped: ${reason}]`, () => undefined);
}
