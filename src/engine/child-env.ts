import type { ProcessSpec } from '../config/types.js';

/** Marks every child with the devrun run that started it, so a later run can find leftovers safely. */
export const RUN_ID_VAR = 'DEVRUN_RUN_ID';

type Env = Record<string, string>;

/** Shell variables win over .env values unless `override` (foreman lets .env win; we follow dotenv). */
export function layerEnv(shell: NodeJS.ProcessEnv, dotenv: Env, override: boolean): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(shell)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(dotenv)) {
    if (override || !(key in env)) env[key] = value;
  }
  return env;
}

/**
 * The environment one process runs with: the layered env, its PORT and PS (as foreman sets them),
 * and defaults that keep pipes from block-buffering or losing colour, unless the user chose otherwise.
 */
export function childEnv(base: Env, spec: ProcessSpec, runId: string): Env {
  const env: Env = { ...base, PORT: String(spec.port), PS: spec.name, [RUN_ID_VAR]: runId };
  if (env.FORCE_COLOR === undefined && env.NO_COLOR === undefined) env.FORCE_COLOR = '1';
  if (env.PYTHONUNBUFFERED === undefined) env.PYTHONUNBUFFERED = '1';
  return env;
}
