// A private network namespace whose loopback is shaped by a token bucket (tc tbf): a slow link on one machine.
import { execFileSync } from 'node:child_process';
import { MARK } from './config.js';
import { parseQdiscSent, type QdiscSent } from './qdisc-stats.js';

const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export class ShapedNamespace {
  readonly name = `devrun-bench-${MARK}`;
  private removed = false;
  // Also on a bench killed mid-run: a namespace outlives the processes in it.
  private readonly onExit = () => this.remove();

  /** Throws (ip's own message) when namespaces are not permitted here. */
  constructor() {
    run('ip', ['netns', 'add', this.name]);
    process.once('exit', this.onExit);
    try {
      // Loopback's 64 KB MTU is larger than tbf's burst, and tbf drops such packets.
      this.exec('ip', ['link', 'set', 'lo', 'up', 'mtu', '1500']);
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  /** The argv prefix that runs a command inside the namespace. */
  wrap(command: string, args: string[] = []): string[] {
    return ['ip', 'netns', 'exec', this.name, command, ...args];
  }

  exec(command: string, args: string[]): string {
    const [ip, ...rest] = this.wrap(command, args);
    return run(ip as string, rest);
  }

  /** Shapes loopback to `rate` (tc syntax: 256kbit, 1mbit), replacing any earlier shaping. */
  shape(rate: string): void {
    this.exec('tc', ['qdisc', 'replace', 'dev', 'lo', 'root', 'tbf', 'rate', rate, 'burst', '16kb', 'latency', '500ms']);
  }

  /** What went through loopback's qdisc so far (both directions: both ends of the connection are on lo). */
  sent(): QdiscSent {
    const text = this.exec('tc', ['-s', 'qdisc', 'show', 'dev', 'lo']);
    const sent = parseQdiscSent(text);
    if (!sent) throw new Error(`no Sent line in tc -s qdisc output: ${text}`);
    return sent;
  }

  /** Pids still in the namespace. */
  pids(): number[] {
    try {
      return run('ip', ['netns', 'pids', this.name]).split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    process.removeListener('exit', this.onExit);
    try {
      run('ip', ['netns', 'del', this.name]);
    } catch {
      // already gone
    }
  }
}
