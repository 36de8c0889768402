import type { InstanceKey } from './instance-key.js';
import { ensureDevrunDir } from './private-dir.js';
import { registerInstance } from './registry.js';
import { ControlServer, prepareSocketPath } from './server.js';
import { candidateSocketPaths } from './socket-path.js';
import type { ControlTarget } from './target.js';

export interface Serving {
  /** Where verbs reach this run; undefined when no socket could be opened. */
  socket: string | undefined;
  /** Unregisters, stops accepting and closes every connection (the socket file goes with it). */
  close(): Promise<void>;
}

/**
 * Serves the run's control socket at the first place that works (the project's `.devrun/`, else the
 * private folder in /tmp) and records it in `.devrun/instances/` so verbs find it. Failing to serve is
 * one warning, not the end of the run: the processes matter more than remote control.
 */
export async function serveControl(target: ControlTarget, key: InstanceKey, warn: (message: string) => void): Promise<Serving> {
  ensureDevrunDir(key.root);
  let reason = 'no place for it';
  for (const candidate of candidateSocketPaths(key)) {
    if (!candidate.ok) {
      reason = candidate.reason;
      continue;
    }
    const server = new ControlServer(target);
    try {
      await prepareSocketPath(candidate.path);
      await server.listen(candidate.path);
    } catch (error) {
      reason = (error as Error).message;
      continue;
    }
    const registration = registerInstance({ key, socket: candidate.path });
    if (!registration.ok) warn(`${registration.reason}; devrun status and the other verbs cannot find this run`);
    return {
      socket: candidate.path,
      async close() {
        if (registration.ok) registration.unregister();
        await server.close();
      },
    };
  }
  warn(`no control socket (${reason}); devrun status and the other verbs cannot reach this run`);
  return { socket: undefined, close: async () => {} };
}
