import { readFileSync, writeFileSync } from 'node:fs';

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Peak resident set of another process over one phase: VmRSS polled every 20 ms, and
 * VmHWM after resetting it at the start (writing 5 to clear_refs; Linux ≥ 4.0), whichever
 * is higher. Reports MB (10^6 bytes).
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peakKb = 0;
  private hwmReset = false;

  constructor(private readonly pid: number) {}

  start(): this {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    this.peakKb = statusKb(this.pid, 'VmRSS') ?? 0;
    this.timer = setInterval(() => {
      const kb = statusKb(this.pid, 'VmRSS');
      if (kb !== undefined && kb > this.peakKb) this.peakKb = kb;
    }, 20);
    this.timer.unref();
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    let kb = Math.max(this.peakKb, statusKb(this.pid, 'VmRSS') ?? 0);
    if (this.hwmReset) kb = Math.max(kb, statusKb(this.pid, 'VmHWM') ?? 0);
    return (kb * 1024) / 1e6;
  }
}

export function currentRssMb(pid: number): number {
  return ((statusKb(pid, 'VmRSS') ?? 0) * 1024) / 1e6;
}

/** utime + stime of a process, in seconds (clock ticks assumed 100 Hz, Linux's USER_HZ). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / 100;
}
