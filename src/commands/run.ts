import { resolve } from 'node:path';
import { loadEnv } from '../config/load-project.js';
import type { RunOptions } from '../config/options.js';
import type { Diagnostic } from '../config/types.js';
import { runForeground } from '../engine/foreground.js';
import { printDiagnostics } from './diagnostics.js';

/** `devrun run CMD...`: the command with the .env loaded (no Procfile needed), its exit code. */
export function run(options: RunOptions): Promise<number> {
  const root = resolve(options.root ?? '.');
  const diagnostics: Diagnostic[] = [];
  const { env } = loadEnv(options, root, process.env, diagnostics);
  if (diagnostics.length > 0) return Promise.resolve(printDiagnostics(diagnostics));
  return runForeground(options.argv, env, root);
}
