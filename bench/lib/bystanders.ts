// Unrelated processes on the machine, as a developer's desktop has (~1000): what a sampler that reads
// every /proc/*/stat pays for, and one that walks only its own trees does not.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export class Bystanders {
  private constructor(private readonly children: ChildProcess[]) {}

  /** `count` × `sleep 3600`, each a direct child of the bench (so the bench reaps them). */
  static start(count: number): Bystanders {
    const children = Array.from({ length: count }, () => spawn('sleep', ['3600'], { stdio: 'ignore' }));
    return new Bystanders(children);
  }

  get count(): number {
    return this.children.length;
  }

  /** Kills them all by pid and waits until each has been reaped. */
  async stop(): Promise<void> {
    const exits = this.children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => once(c, 'exit'));
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.all(exits);
  }
}
