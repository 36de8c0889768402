import { loadProject } from '../config/load-project.js';
import type { CheckOptions } from '../config/options.js';
import { printDiagnostics } from './diagnostics.js';

/** `devrun check`: validates the Procfile and .env files and lists what would run. */
export function check(options: CheckOptions): number {
  const loaded = loadProject(options, process.env);
  if (!loaded.ok) return printDiagnostics(loaded.diagnostics);
  const { project } = loaded;
  const width = Math.max(...project.specs.map((s) => s.name.length));
  const lines = [
    `${project.procfile}: ${project.entries.length} entries, ${project.specs.length} processes`,
    ...project.envFiles.map((f) => `env: ${f}`),
    ...project.specs.map((s) => `  ${s.name.padEnd(width)}  PORT=${s.port}  ${s.command}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
