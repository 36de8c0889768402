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
 * The environment one process runs with: the layered env and its PORT and PS (as foreman sets them).
 * On pipes, defaults that keep children from block-buffering or dropping colour, unless the user chose
 * otherwise; on a terminal they are not needed (the child sees a TTY), and TERM names the emulator.
 */
export function childEnv(base: Env, spec: ProcessSpec, runId: string, terminal: boolean): Env {
  const env: Env = { ...base, PORT: String(spec.port), PS: spec.name, [RUN_ID_VAR]: runId };
  if (terminal) {
    env.TERM = 'xterm-256color';
    return env;
  }
  if (env.FORCE_COLOR === undefined && env.NO_COLOR === undefined) env.FORCE_COLOR = '1';
  if (env.PYTHONUNBUFFERED === undefined) env.PYTHONUNBUFFERED = '1';
  return env;
}
