// A throwaway sshd inside a network namespace (127.0.0.1:22 there), with its own host key and one client key,
// and the ssh client command line that logs into it. Started by the bench, stopped by pid.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ShapedNamespace } from './netns.js';
import { isRunning } from './procfs.js';
import { pollUntil } from './wait.js';

export const SSHD = '/usr/sbin/sshd';
/** sshd refuses to start without its privilege separation folder (Debian's service unit creates it). */
const PRIVSEP_DIR = '/run/sshd';

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'devrun-bench', '-f', file], { stdio: 'ignore' });
}

export class LocalSshd {
  private readonly child: ChildProcess;
  private readonly clientKey: string;
  private readonly knownHosts: string;
  readonly log: string;

  private constructor(
    private readonly netns: ShapedNamespace,
    dir: string,
  ) {
    mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    const hostKey = path.join(dir, 'host_key');
    this.clientKey = path.join(dir, 'client_key');
    keygen(hostKey);
    keygen(this.clientKey);
    const authorized = path.join(dir, 'authorized_keys');
    writeFileSync(authorized, readFileSync(`${this.clientKey}.pub`));
    this.knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(this.knownHosts, `127.0.0.1 ${readFileSync(`${hostKey}.pub`, 'utf8')}`);
    const config = path.join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        'ListenAddress 127.0.0.1',
        'Port 22',
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${authorized}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'PrintMotd no',
        'PrintLastLog no',
        'PidFile none',
        '',
      ].join('\n'),
    );
    this.log = path.join(dir, 'sshd.log');
    const out = openSync(this.log, 'w');
    const [ip, ...args] = netns.wrap(SSHD, ['-D', '-e', '-f', config]);
    // `ip netns exec` execs sshd in place: the child's pid is sshd's.
    this.child = spawn(ip as string, args, { stdio: ['ignore', out, out] });
    closeSync(out);
  }

  /** Starts sshd and waits until it accepts connections. */
  static async start(netns: ShapedNamespace, dir: string): Promise<LocalSshd> {
    const sshd = new LocalSshd(netns, dir);
    try {
      await pollUntil(() => sshd.listening(), { timeoutMs: 10_000, what: 'sshd to listen on 127.0.0.1:22 in the namespace' });
    } catch (error) {
      (error as Error).message += `\n--- sshd log ---\n${readFileSync(sshd.log, 'utf8')}`;
      await sshd.stop();
      throw error;
    }
    return sshd;
  }

  private listening(): boolean {
    if (this.child.exitCode !== null) throw new Error(`sshd exited with ${this.child.exitCode}: ${readFileSync(this.log, 'utf8')}`);
    return /127\.0\.0\.1:22\b/.test(this.netns.exec('ss', ['-Htln']));
  }

  /** argv of an ssh client (run inside the namespace) that runs `remote` on a terminal (-tt) over the shaped loopback. */
  clientArgv(remote: string): string[] {
    return this.netns.wrap('ssh', [
      '-tt',
      '-F',
      '/dev/null',
      '-i',
      this.clientKey,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      `UserKnownHostsFile=${this.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'LogLevel=ERROR',
      'root@127.0.0.1',
      remote,
    ]);
  }

  /** SIGTERM by pid, SIGKILL if it lingers; sessions still open are the caller's to end (they carry the bench mark). */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || !isRunning(pid)) return;
    process.kill(pid, 'SIGTERM');
    try {
      await pollUntil(() => !isRunning(pid), { timeoutMs: 5000, intervalMs: 20, what: 'sshd to exit' });
    } catch {
      process.kill(pid, 'SIGKILL');
    }
  }
}
