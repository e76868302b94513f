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

/**
 * Threads in libuv's pool, where sharp runs each image's work: 4 unless UV_THREADPOOL_SIZE is set,
 * read as libuv reads it (its leading number, where none or 0 means 1, at most 1024).
 */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const asked = env['UV_THREADPOOL_SIZE'];
  if (asked === undefined) return 4;
  const size = Number.parseInt(asked, 10);
  return Number.isNaN(size) || size < 1 ? 1 : Math.min(size, 1024);
}

/**
 * How a build encodes photos on these cores: twice as many images at once as there are cores (a
 * job waiting for its photo's decoding, which the photo's other jobs wait for too, or for its
 * file's writing, leaves its core to another), as many as libuv's pool runs; each on one libvips
 * thread (sharp's own default with glibc's allocator) until the pool is too small to keep every
 * core busy that way — on 8 cores four images of two threads each, on 16 four of four — unless
 * UV_THREADPOOL_SIZE, set before Node starts, lets more images run.
 */
export function photoEncoding(cores = usableCores(), pool = threadPoolSize()): { images: number; threadsPerImage: number } {
  const images = Math.max(1, Math.min(2 * cores, pool));
  return { images, threadsPerImage: Math.max(1, Math.ceil(cores / images)) };
}
