import packageJson from '../../package.json' with { type: 'json' };
import { logFilesDir } from '../config/log-files.js';
import type { StartOptions } from '../config/options.js';
import { devrunDir, ensureDevrunDir } from '../control/private-dir.js';
import { LogFiles } from '../engine/log-files/log-files.js';
import type { Supervisor } from '../engine/supervisor.js';

/**
 * A run's log files (none with --no-log-files). The default folder is inside `.devrun/`, which is made
 * first so it is 0700 and ignores itself in git; a write failure becomes one line from devrun.
 */
export function openLogFiles(
  supervisor: Supervisor,
  project: { root: string; procfile: string },
  options: StartOptions,
  runId: string,
): LogFiles | undefined {
  const { root } = project;
  const dir = logFilesDir(root, project.procfile, options);
  if (dir === undefined) return undefined;
  if (dir.startsWith(`${devrunDir(root)}/`)) ensureDevrunDir(root);
  return new LogFiles(supervisor, {
    dir,
    maxBytes: options.logSize,
    keep: options.logKeep,
    colors: options.logColors,
    version: packageJson.version,
    runId,
    warn: (text) => supervisor.note(text),
  });
}
