import { isMap, isSeq, type Node } from 'yaml';
import { RESTART_MODES } from '../../engine/restart-policy.js';
import { closestName } from '../closest-name.js';
import { NAME } from '../procfile.js';
import { DEPENDENCY_CONDITIONS, type DependencyCondition, type ProcessSettings, type ReadyProbe } from './types.js';
import { parseByteSize, parseDuration, parseStopSignal } from './values.js';
import type { YamlReader } from './yaml-reader.js';

/**
 * The keys a process takes in devrun.yaml: the one table that the parser, the errors ("allowed: ...")
 * and the README's list (checked by a test) come from. Each reads its value into the settings, or reports why it cannot.
 */
interface ProcessKey {
  key: string;
  read(reader: YamlReader, node: Node | null, path: string, into: ProcessSettings): void;
}

/** process-compose's condition names, so its users' habits work. */
const CONDITION_ALIASES: Record<string, DependencyCondition> = {
  process_started: 'started',
  process_healthy: 'ready',
  process_completed_successfully: 'succeeded',
  process_completed: 'completed',
};

export const PROBE_DEFAULTS = { intervalMs: 1000, timeoutMs: 60_000, initialDelayMs: 0 } as const;
const DEFAULT_HTTP_STATUS = { min: 200, max: 399 };

export const PROCESS_KEYS: readonly ProcessKey[] = [
  { key: 'cmd', read: field('cmd', (r, node, path) => r.string(node, path)) },
  { key: 'depends_on', read: readDependsOn },
  { key: 'ready', read: field('ready', readProbe) },
  { key: 'restart', read: field('restart', (r, node, path) => r.oneOf(node, path, RESTART_MODES)) },
  { key: 'max_restarts', read: field('maxRestarts', (r, node, path) => r.integer(node, path, 0, 1_000_000)) },
  { key: 'stop_signal', read: field('stopSignal', (r, node, path) => r.parsed(node, path, parseStopSignal)) },
  { key: 'stop_timeout', read: field('stopTimeoutMs', readStopTimeout) },
  { key: 'env', read: readEnv },
  { key: 'cwd', read: field('cwd', (r, node, path) => r.string(node, path)) },
  { key: 'autostart', read: field('autostart', (r, node, path) => r.boolean(node, path)) },
  { key: 'max_memory', read: field('maxMemory', (r, node, path) => r.parsed(node, path, parseByteSize)) },
  { key: 'watch', read: field('watch', readGlobs) },
  { key: 'watch_ignore', read: field('watchIgnore', readGlobs) },
  {
    key: 'on_dependency_restart',
    read: field('onDependencyRestart', (r, node, path) => r.oneOf(node, path, ['keep', 'restart'] as const)),
  },
];

/** A key read into one field of the settings, when its value reads well (a problem is reported by `read`). */
function field<K extends keyof ProcessSettings>(
  name: K,
  read: (r: YamlReader, node: Node | null, path: string) => ProcessSettings[K] | undefined,
): ProcessKey['read'] {
  return (r, node, path, into) => {
    const value = read(r, node, path);
    if (value !== undefined) into[name] = value;
  };
}

function readStopTimeout(r: YamlReader, node: Node | null, path: string): number | undefined {
  const ms = r.parsed(node, path, parseDuration);
  if (ms !== 0) return ms;
  r.report(node, path, 'must be more than 0');
  return undefined;
}

/** Globs relative to the project root, inside it: `src/**\/*.ts`, `config/*.yml`. */
function readGlobs(r: YamlReader, node: Node | null, path: string): string[] | undefined {
  const globs = r.strings(node, path);
  const outside = globs?.find((g) => g.startsWith('/') || g.startsWith('!') || /(^|\/)\.\.(\/|$)/.test(g));
  if (outside === undefined) return globs;
  const why = outside.startsWith('!') ? 'list what to leave out under watch_ignore' : 'use a path inside the project root';
  r.report(node, path, `${JSON.stringify(outside)}: globs are relative to the project root; ${why}`);
  return undefined;
}

/** An unknown key: what was probably meant, and what is allowed. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = closestName(key, [...allowed]);
  return `unknown key${near ? ` (did you mean ${near}?)` : ''}; allowed: ${allowed.join(', ')}`;
}

function readDependsOn(r: YamlReader, node: Node | null, path: string, into: ProcessSettings): void {
  if (isSeq(node)) {
    for (const [i, item] of (node.items as (Node | null)[]).entries()) {
      const name = r.string(item, `${path}[${i}]`);
      if (name !== undefined && checkName(r, item, `${path}[${i}]`, name)) into.dependsOn[name] = 'started';
    }
    return;
  }
  if (!isMap(node)) {
    const one = r.string(node, path);
    if (one !== undefined && checkName(r, node, path, one)) into.dependsOn[one] = 'started';
    return;
  }
  for (const pair of r.pairs(node, path, 'a list of names or a map of name: condition') ?? []) {
    const name = r.keyOf(pair);
    const at = `${path}.${name}`;
    if (!checkName(r, pair.key, at, name)) continue;
    const word = r.scalar(pair.value, at);
    const condition = typeof word === 'string' ? (CONDITION_ALIASES[word] ?? word) : word === null ? 'started' : word;
    if ((DEPENDENCY_CONDITIONS as readonly unknown[]).includes(condition)) into.dependsOn[name] = condition as DependencyCondition;
    else if (word !== undefined)
      r.report(pair.value, at, `must be one of ${DEPENDENCY_CONDITIONS.join(', ')}, got ${JSON.stringify(word)}`);
  }
}

function checkName(r: YamlReader, node: Node | null, path: string, name: string): boolean {
  if (NAME.test(name)) return true;
  r.report(node, path, `"${name}" is not a process name: use only A-Z, a-z, 0-9, "_" and "-"`);
  return false;
}

const PROBE_KINDS = ['port', 'http', 'log'] as const;
const PROBE_KEYS = [...PROBE_KINDS, 'status', 'interval', 'timeout', 'initial_delay'];

function readProbe(r: YamlReader, node: Node | null, path: string): ReadyProbe | undefined {
  const pairs = r.pairs(node, path, 'a map with one of port, http or log');
  if (!pairs) return undefined;
  const byKey = new Map(pairs.map((pair) => [r.keyOf(pair), pair] as const));
  for (const [key, pair] of byKey) {
    if (!PROBE_KEYS.includes(key)) r.report(pair.key, `${path}.${key}`, unknownKeyMessage(key, PROBE_KEYS));
  }
  const kinds = PROBE_KINDS.filter((k) => byKey.has(k));
  if (kinds.length !== 1) {
    r.report(
      node,
      path,
      kinds.length === 0 ? 'needs one of port, http or log' : `takes one of port, http or log, not ${kinds.join(' and ')}`,
    );
    return undefined;
  }
  const kind = kinds[0]!;
  const value = byKey.get(kind)!.value;
  const at = `${path}.${kind}`;
  const check =
    kind === 'port'
      ? portCheck(r, value, at)
      : kind === 'http'
        ? httpCheck(r, value, at, byKey.get('status')?.value, `${path}.status`)
        : logCheck(r, value, at);
  if (kind !== 'http' && byKey.has('status')) r.report(byKey.get('status')!.key, `${path}.status`, 'goes with http only');
  const duration = (key: string, fallback: number) => {
    const pair = byKey.get(key);
    return pair === undefined ? fallback : r.parsed(pair.value, `${path}.${key}`, parseDuration);
  };
  const intervalMs = duration('interval', PROBE_DEFAULTS.intervalMs);
  const timeoutMs = duration('timeout', PROBE_DEFAULTS.timeoutMs);
  const initialDelayMs = duration('initial_delay', PROBE_DEFAULTS.initialDelayMs);
  if (intervalMs === 0) r.report(byKey.get('interval')!.value, `${path}.interval`, 'must be more than 0');
  if (!check || !intervalMs || timeoutMs === undefined || initialDelayMs === undefined) return undefined;
  return { check, intervalMs, timeoutMs, initialDelayMs };
}

function portCheck(r: YamlReader, node: Node | null, path: string): ReadyProbe['check'] | undefined {
  const port = r.integer(node, path, 1, 65535);
  return port === undefined ? undefined : { kind: 'port', port };
}

function httpCheck(r: YamlReader, node: Node | null, path: string, statusNode: Node | null | undefined, statusPath: string) {
  const url = r.string(node, path);
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    r.report(node, path, `must be an http:// or https:// URL, got ${JSON.stringify(url)}`);
    return undefined;
  }
  const status = statusNode === undefined ? DEFAULT_HTTP_STATUS : statusRange(r, statusNode, statusPath);
  return status && ({ kind: 'http', url, status } as const);
}

/** `status: 200` or `status: 200-299`. */
function statusRange(r: YamlReader, node: Node | null, path: string): { min: number; max: number } | undefined {
  const raw = r.scalar(node, path);
  const match = /^\s*(\d{3})\s*(?:-\s*(\d{3}))?\s*$/.exec(String(raw));
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? min : Number(match[2]);
  if (match && min >= 100 && max <= 599 && min <= max) return { min, max };
  if (raw !== undefined) r.report(node, path, `must be a status (200) or a range (200-299), got ${JSON.stringify(raw)}`);
  return undefined;
}

function logCheck(r: YamlReader, node: Node | null, path: string): ReadyProbe['check'] | undefined {
  const pattern = r.string(node, path);
  if (pattern === undefined) return undefined;
  try {
    new RegExp(pattern);
  } catch (error) {
    r.report(node, path, `not a valid regular expression: ${(error as Error).message}`);
    return undefined;
  }
  return { kind: 'log', pattern };
}

function readEnv(r: YamlReader, node: Node | null, path: string, into: ProcessSettings): void {
  for (const pair of r.pairs(node, path, 'a map of NAME: value') ?? []) {
    const name = r.keyOf(pair);
    const at = `${path}.${name}`;
    if (!/^[^=\0]+$/.test(name)) {
      r.report(pair.key, at, 'not a variable name');
      continue;
    }
    const value = r.scalar(pair.value, at);
    if (value !== undefined) into.env[name] = value === null ? '' : String(value);
  }
}
