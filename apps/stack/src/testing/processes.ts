import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from '@servicecenter/testing';

export const WORKSPACE = resolve(__dirname, '../../../..');

export interface ServiceProcess {
  name: string;
  port: number;
  child: ChildProcess;
  /** SIGKILL: a crash, nothing is cleaned up. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
}

/** Starts `apps/<name>/src/main.ts` as its own OS process and waits until /readyz answers. */
export async function startServiceProcess(
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const logDir = join(WORKSPACE, 'tmp', 'process-logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}-${port}.log`), { flags: 'a' });
  // One OS process per service (node with tsx as a loader, not the tsx launcher, which would
  // put a second process in between): SIGKILL must hit the service itself.
  const child = spawn(process.execPath, ['--import', 'tsx', join(WORKSPACE, `apps/${name}/src/main.ts`)], {
    cwd: WORKSPACE,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see tmp/process-logs`);
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1_000) });
      return response.ok;
    },
    (ready) => ready,
    { timeoutMs: 60_000, intervalMs: 200, what: `${name} to be ready` },
  );
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { name, port, child, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Runs one of the infra/kafka scripts (stop.sh / start.sh). */
export function kafkaScript(script: 'start.sh' | 'stop.sh'): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn('bash', [join(WORKSPACE, 'infra/kafka', script)], { stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`infra/kafka/${script} exited with ${code}`))));
  });
}
