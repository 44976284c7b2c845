// What /proc says about a server process (Linux): its resident memory from /proc/<pid>/status (VmRSS
// the current resident set, VmHWM its high-water mark since start or since the mark was last reset),
// and the CPU time it has used from /proc/<pid>/stat.

import { execFileSync } from 'node:child_process';
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
      // The process is gone; the bench finds out from the requests that fail.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

let ticksPerSecond: number | null = null;

/** USER_HZ, the unit of the times in /proc/<pid>/stat: 100 on mainstream builds, but asked, not assumed. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    let asked = Number.NaN;
    try {
      asked = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      // No getconf: fall back to the usual value below.
    }
    ticksPerSecond = Number.isInteger(asked) && asked > 0 ? asked : 100;
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process has used so far (one clock tick of resolution). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond();
}
