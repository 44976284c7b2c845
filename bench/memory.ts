// Resident memory of a child process, read from /proc/<pid>/status (Linux): VmRSS is the current
// resident set, VmHWM its high-water mark since start (or since the mark was last reset).

import { readFileSync, writeFileSync } from 'node:fs';

export interface Rss {
  rssMb: number;
  peakMb: number;
}

function field(status: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`/proc status has no ${name}`);
  return Number(m[1]) / 1024;
}

export function readRss(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMb: field(status, 'VmRSS'), peakMb: field(status, 'VmHWM') };
}

/**
 * Resets VmHWM to the current RSS (`echo 5 > clear_refs`, Linux >= 4.0), so a later read gives the peak
 * of one phase. Returns false where that is not allowed; the sampler below still bounds the peak.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `everyMs` until stopped; the kernel's VmHWM is exact, this is a cross-check. */
export function sampleRss(pid: number, everyMs = 20): { stop(): number } {
  let max = readRss(pid).rssMb;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, readRss(pid).rssMb);
    } catch {
      // The process is gone; the caller will find out from its own requests.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}
