/**
 * What `devrun reload` does, decided from what runs now and what the files say now. Pure. A process is
 * known by its name (`web.1`); its key is everything it runs with (command, env, folder, settings,
 * port), so a changed key is a changed process and an equal key is left alone.
 */
export interface Keyed {
  name: string;
  key: string;
}

export interface ReloadPlan {
  /** In the files now, not running: started (each once its dependencies allow). */
  added: string[];
  /** Running, no longer in the files: stopped, then gone from the list. */
  removed: string[];
  /** In both, with another key. */
  changed: string[];
  unchanged: string[];
}

export function planReload(current: readonly Keyed[], next: readonly Keyed[]): ReloadPlan {
  const now = new Map(current.map((p) => [p.name, p.key]));
  const wanted = new Set(next.map((p) => p.name));
  const plan: ReloadPlan = {
    added: [],
    removed: current.filter((p) => !wanted.has(p.name)).map((p) => p.name),
    changed: [],
    unchanged: [],
  };
  for (const { name, key } of next) {
    const had = now.get(name);
    if (had === undefined) plan.added.push(name);
    else if (had === key) plan.unchanged.push(name);
    else plan.changed.push(name);
  }
  return plan;
}

/** A value as text that does not depend on the order of object keys (a reordered .env is not a change). */
export function stableKey(value: unknown): string {
  return JSON.stringify(sorted(value));
}

function sorted(value: unknown): unknown {
  if (value instanceof RegExp) return value.toString();
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((k) => [k, sorted(object[k])]),
    );
  }
  return value;
}

/** What a reload did, in one line: "reload: added db.1; removed old.1; restarted web.1; 3 unchanged". */
export function describeReload(done: {
  added: string[];
  removed: string[];
  restarted: string[];
  updated: string[];
  unchanged: number;
}): string {
  const lists: [string, string[]][] = [
    ['added', done.added],
    ['removed', done.removed],
    ['restarted', done.restarted],
    // Changed, but not running (stopped by hand, or still waiting): its next start takes the new settings.
    ['updated', done.updated],
  ];
  const parts = lists.filter(([, names]) => names.length > 0).map(([verb, names]) => `${verb} ${names.join(', ')}`);
  if (done.unchanged > 0 || parts.length === 0) parts.push(`${done.unchanged} unchanged`);
  return `reload: ${parts.join('; ')}`;
}
