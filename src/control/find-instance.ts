import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { realPath } from './instance-key.js';
import { type InstanceRecord, listInstances } from './registry.js';

/**
 * How a verb (`devrun status`, `devrun restart web`) finds the devrun it talks to, like git finds its
 * repository: from the working folder up to /, the nearest folder whose `.devrun/instances/` holds a live
 * instance. Without -f that folder must hold exactly one (several: an error naming them, asking for -f).
 * With -f the instance must run that Procfile (its real path, resolved from the working folder); the walk
 * goes on upward past folders whose instances run other Procfiles. Failures are values with one line
 * to print, never exceptions.
 */
export type FoundInstance = { ok: true; root: string; instance: InstanceRecord } | { ok: false; reason: string };

export function findInstance(options: { cwd: string; procfile?: string }): FoundInstance {
  const start = resolve(options.cwd);
  const wanted = options.procfile === undefined ? undefined : realPath(resolve(start, options.procfile));
  let nearest: { root: string; instances: InstanceRecord[] } | undefined;
  for (let dir = realPath(start); ; dir = dirname(dir)) {
    const instances = listInstances(dir);
    if (instances.length > 0) {
      if (wanted === undefined) return pick(dir, instances);
      const instance = instances.find((i) => i.procfile === wanted);
      if (instance) return { ok: true, root: dir, instance };
      nearest ??= { root: dir, instances };
    }
    if (dirname(dir) === dir) break;
  }
  if (wanted !== undefined && nearest) {
    return { ok: false, reason: `no devrun runs ${wanted}; in ${nearest.root} runs ${describe(nearest.root, nearest.instances)}` };
  }
  const what = wanted === undefined ? 'here' : wanted;
  return { ok: false, reason: `no devrun runs ${what} (looked in ${start} and its parents)` };
}

function pick(root: string, instances: InstanceRecord[]): FoundInstance {
  if (instances.length === 1) return { ok: true, root, instance: instances[0]! };
  return {
    ok: false,
    reason: `${instances.length} devruns run in ${root}: ${describe(root, instances)}; pass -f to pick one`,
  };
}

/** `Procfile (pid 12), Procfile.test (pid 34)`: Procfiles shown from the root when inside it. */
function describe(root: string, instances: InstanceRecord[]): string {
  return instances
    .map((i) => {
      const rel = relative(root, i.procfile);
      const shown = rel.startsWith('..') || isAbsolute(rel) ? i.procfile : rel;
      return `${shown} (pid ${i.pid})`;
    })
    .join(', ');
}
