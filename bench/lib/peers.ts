// The programs devrun is compared with: concurrently and mprocs (pinned, installed on demand into the
// git-ignored bench/.peers), ruby foreman (used when installed). A peer that cannot be had is skipped.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PEERS_DIR } from './config.js';

export interface Peers {
  concurrently?: string;
  mprocs?: string;
  foreman?: string;
  skipped: Map<string, string>;
}

const PINS: Record<string, string> = { concurrently: '9.2.5', mprocs: '0.9.6' };

function installedVersion(name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(PEERS_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

export function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function loadPeers(wanted: { concurrently: boolean; mprocs: boolean; foreman: boolean }): Peers {
  const peers: Peers = { skipped: new Map() };
  const missing = Object.keys(PINS).filter((n) => wanted[n as 'concurrently' | 'mprocs'] && installedVersion(n) !== PINS[n]);
  if (missing.length > 0) {
    // Every pinned peer in one install: npm prunes what the command line does not name (there is no
    // package.json here), so installing one alone removed the other.
    const specs = Object.keys(PINS).map((n) => `${n}@${PINS[n]}`);
    process.stderr.write(`bench: installing ${specs.join(' ')} into bench/.peers\n`);
    try {
      execFileSync('npm', ['install', '--prefix', PEERS_DIR, '--no-save', '--no-audit', '--no-fund', ...specs], {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 300_000,
      });
    } catch (error) {
      const why =
        String((error as { stderr?: Buffer }).stderr ?? error)
          .trim()
          .split('\n')
          .slice(-1)[0] ?? 'npm install failed';
      for (const n of missing) peers.skipped.set(n, `install failed: ${why}`);
    }
  }
  const require = createRequire(path.join(PEERS_DIR, 'noop.js'));
  if (wanted.concurrently && !peers.skipped.has('concurrently')) {
    const bin = path.join(PEERS_DIR, 'node_modules', 'concurrently', 'dist', 'bin', 'concurrently.js');
    if (installedVersion('concurrently') === PINS.concurrently && existsSync(bin)) peers.concurrently = bin;
    else peers.skipped.set('concurrently', 'not installed');
  }
  if (wanted.mprocs && !peers.skipped.has('mprocs')) {
    try {
      // The npm package ships native binaries; its index.js names the one for this platform.
      const bin = require(path.join(PEERS_DIR, 'node_modules', 'mprocs')) as string | null;
      if (installedVersion('mprocs') === PINS.mprocs && bin && existsSync(bin)) peers.mprocs = bin;
      else peers.skipped.set('mprocs', 'no binary for this platform');
    } catch (error) {
      peers.skipped.set('mprocs', `not usable: ${(error as Error).message}`);
    }
  }
  if (wanted.foreman) {
    const foreman = onPath('foreman');
    if (foreman) peers.foreman = foreman;
    else peers.skipped.set('foreman', 'not installed (ruby foreman not on PATH)');
  }
  return peers;
}
