import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject } from '../helpers/cli.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

/**
 * The script `devrun completion` prints, loaded into a real bash, its completion function called as
 * bash calls it at a Tab (COMP_WORDS, COMP_CWORD); the script runs `devrun` from PATH, as for a user.
 */
function complete(words: string[], env: Record<string, string> = {}): string[] {
  const p = project!;
  const bin = join(p.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  try {
    symlinkSync(DEVRUN_BIN, join(bin, 'devrun'));
  } catch {
    // linked by an earlier call
  }
  const script = [
    'source <(devrun completion) || exit 9',
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_devrun_yargs_completions',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    cwd: p.dir,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: p.dir, SHELL: '/bin/bash', ...env },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.split('\n').filter(Boolean).sort();
}

describe('devrun completion (bash)', () => {
  it('completes verbs, and the Procfile names where NAMES go', () => {
    project = makeProject({ Procfile: 'web: a\nworker: b\ndb: c\n', 'Procfile.dev': 'css: d\njs: e\n' });
    expect(complete(['devrun', 'st'])).toEqual(['start', 'status', 'stop']);
    expect(complete(['devrun', 'stop', 'w'])).toEqual(['web', 'worker']);
    expect(complete(['devrun', 'restart', ''])).toEqual(['db', 'web', 'worker']);
    // plain `devrun NAMES` starts them
    expect(complete(['devrun', 'web', 'wo'])).toEqual(['worker']);
    // -f picks the Procfile whose names are offered
    expect(complete(['devrun', '-f', 'Procfile.dev', 'logs', ''])).toEqual(['css', 'js']);
    // send and connect take one name, then text
    expect(complete(['devrun', 'send', 'd'])).toEqual(['db']);
    expect(complete(['devrun', 'send', 'db', 'w'])).toEqual([]);
    // flags once a '-' is typed
    expect(complete(['devrun', 'logs', '--fol'])).toEqual(['--follow']);
  });

  it('offers nothing after a flag that takes a file, so bash completes file names', () => {
    project = makeProject({ Procfile: 'web: a\n' });
    expect(complete(['devrun', '-f', ''])).toEqual([]);
  });

  it('without a Procfile, still the verbs', () => {
    project = makeProject({});
    expect(complete(['devrun', 'c'])).toEqual(['check', 'completion', 'connect']);
  });

  it('prints the zsh script when the shell is zsh', () => {
    project = makeProject({});
    const result = spawnSync(process.execPath, [DEVRUN_BIN, 'completion'], { encoding: 'utf8', env: { SHELL: '/usr/bin/zsh' } });
    expect(result.stdout).toMatch(/^#compdef devrun\n/);
    expect(result.stdout).toContain('devrun --get-yargs-completions');
  });
});
