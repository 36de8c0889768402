import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What makes one devrun its own instance: the project root and the Procfile, both as real paths (a
 * symlinked checkout or `-f ./Procfile` vs `-f Procfile` is the same instance; `-f Procfile.test` beside
 * a running dev stack is another). The id names its socket and its registry record: sha256 of the two
 * paths (NUL-separated, so no two pairs collide by concatenation), hex, first 16 characters.
 */
export interface InstanceKey {
  /** Real path of the project root. */
  root: string;
  /** Real path of the Procfile. */
  procfile: string;
  id: string;
}

export function instanceKey(root: string, procfile: string): InstanceKey {
  const realRoot = realPath(root);
  const realProcfile = realPath(procfile);
  const id = createHash('sha256').update(`${realRoot}\0${realProcfile}`).digest('hex').slice(0, 16);
  return { root: realRoot, procfile: realProcfile, id };
}

/** The real path, or the absolute one when it cannot be resolved (it does not exist). */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
