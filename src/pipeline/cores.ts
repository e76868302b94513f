// How many cores a build may keep busy: the machine's, or a container's CPU quota.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The CPUs a cgroup quota allows this process (a container started with `--cpus`), rounded up, or
 * undefined without one: Node's availableParallelism() counts the machine's cores, not the quota.
 */
export function cgroupCpuLimit(read: (file: string) => string | undefined = readText): number | undefined {
  let quota: number;
  let period: number;
  const v2 = read('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) {
    const [max, per] = v2.trim().split(/\s+/);
    quota = Number(max);
    period = Number(per ?? 100000);
  } else {
    quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim());
    period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim());
  }
  return quota > 0 && period > 0 ? Math.max(1, Math.ceil(quota / period)) : undefined;
}

/** The cores this process may use: the machine's, or fewer under a container's CPU quota. */
export function usableCores(): number {
  return Math.max(1, Math.min(availableParallelism(), cgroupCpuLimit() ?? Infinity));
}
