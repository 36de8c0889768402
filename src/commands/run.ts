import { resolve } from 'node:path';
import { loadEnv } from '../config/load-project.js';
import type { RunOptions } from '../config/options.js';
import type { Diagnostic } from '../config/types.js';
import { runForeground } from '../engine/foreground.js';
import { shellScript } from '../engine/shell-script.js';
import { printDiagnostics } from './diagnostics.js';

/** `devrun run CMD...`: the command with the .env loaded (no Procfile needed), its exit code. */
export function run(options: RunOptions): Promise<number> {
  const root = resolve(options.root ?? '.');
  const diagnostics: Diagnostic[] = [];
  const { env } = loadEnv(options, root, process.env, diagnostics);
  if (diagnostics.length > 0) return Promise.resolve(printDiagnostics(diagnostics));
  // One argument is a command line, run by the shell as a Procfile line is ('echo $X', 'a && b');
  // several are a program and its arguments, run as given.
  const argv = options.argv.length === 1 ? ['/bin/sh', '-c', shellScript(options.argv[0]!)] : options.argv;
  return runForeground(argv, env, root);
}
