// Samples one process's CPU seconds and peak RSS while it runs (the last sample before it exits wins).
import { cpuSeconds, statusKb } from './procfs.js';

export class ProcMonitor {
  peakRssKb = 0;
  cpu = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    intervalMs = 25,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    const hwm = statusKb(this.pid, 'VmHWM');
    if (hwm !== undefined) this.peakRssKb = Math.max(this.peakRssKb, hwm);
    const cpu = cpuSeconds(this.pid);
    if (cpu !== undefined) this.cpu = cpu;
  }

  stop(): { peakRssKb: number; cpu: number } {
    this.sample();
    clearInterval(this.timer);
    return { peakRssKb: this.peakRssKb, cpu: this.cpu };
  }
}
