import { readFileSync } from 'node:fs';

/**
 * What Linux's /proc says about a process on this machine: the CPU and memory figures of the
 * bench, the seed and the profiling tools (processes of ours and PostgreSQL backends). Every
 * reader answers NaN (or an empty map) where /proc cannot tell: another OS, or a process that
 * ended meanwhile.
 */

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux we run). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * utime + stime of a process from `/proc/<pid>/stat`, ms. The fields are counted after the
 * command name's closing parenthesis: the name itself may hold spaces and parentheses.
 */
export function cpuMsOfProcess(pid: number | 'thread-self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * The CPU time a process has run so far from `/proc/<pid>/schedstat`, ns: exact, where
 * `/proc/<pid>/stat` counts 10 ms ticks (what a single statement of a backend costs).
 */
export function runNsOfProcess(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/** utime + stime of a process and all its descendants, ms; NaN when /proc cannot tell. */
export function cpuMsOfProcessTree(pid: number): number {
  const own = cpuMsOfProcess(pid);
  if (!Number.isFinite(own)) return own;
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // no children file: none counted
  }
  let ms = own;
  for (const child of children) {
    const childMs = cpuMsOfProcessTree(child);
    if (Number.isFinite(childMs)) ms += childMs;
  }
  return ms;
}

/** A line of `/proc/<pid>/status` in MB (`VmHWM`: peak RSS, `VmRSS`: RSS now); NaN when unknown. */
export function memoryMbOfProcess(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
