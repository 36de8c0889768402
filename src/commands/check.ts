import { loadProject, shown } from '../config/load-project.js';
import type { CheckOptions } from '../config/options.js';
import { describeSettings } from '../config/settings/describe-settings.js';
import { runSettings } from '../config/settings/run-settings.js';
import { verbNamedEntries } from '../config/verb-names.js';
import { diagnosticLines, printDiagnostics } from './diagnostics.js';

/**
 * `devrun check`: validates the Procfile and .env files and lists what would run. Entries named like a
 * verb are valid (exit 0) but get a warning each on stderr: `devrun NAME` would not run them.
 */
export function check(options: CheckOptions): number {
  const loaded = loadProject(options, process.env);
  if (!loaded.ok) return printDiagnostics(loaded.diagnostics);
  const { project } = loaded;
  const width = Math.max(...project.specs.map((s) => s.name.length));
  const lines = [
    `${project.procfile}: ${project.entries.length} entries, ${project.specs.length} processes`,
    ...project.envFiles.map((f) => `env: ${f}`),
    ...(project.settings.file ? [`settings: ${shown(project.settings.file)}`] : []),
    ...project.specs.flatMap((s) => {
      const line = `  ${s.name.padEnd(width)}  PORT=${s.port}  ${s.command}`;
      // With a settings file, each process's effective settings under it.
      if (!project.settings.file) return [line];
      const file = project.settings.byEntry.get(s.entry);
      return [line, `  ${' '.repeat(width)}  ${describeSettings(runSettings({}, file))}`];
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const warnings = diagnosticLines(verbNamedEntries(project.entries, shown(project.procfile)));
  if (warnings.length > 0) process.stderr.write(`${warnings.join('\n')}\n`);
  return 0;
}
