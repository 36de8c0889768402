import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { layerEnv } from '../engine/child-env.js';
import { parseDotenv } from './dotenv.js';
import { expandFormation, parseFormation } from './formation.js';
import type { CommonOptions } from './options.js';
import { parseProcfile } from './procfile.js';
import { checkDependencies } from './settings/dependency-graph.js';
import { parseSettings } from './settings/parse-settings.js';
import type { ProcessSettings } from './settings/types.js';
import { decodeText } from './text-file.js';
import type { Diagnostic, ProcessSpec, ProcfileEntry } from './types.js';

export interface Project {
  root: string;
  procfile: string;
  entries: ProcfileEntry[];
  /** Every process the formation asks for, before any NAMES filter. */
  specs: ProcessSpec[];
  /** Shell env layered with the .env files. */
  env: Record<string, string>;
  envFiles: string[];
  settings: ProjectSettings;
}

/** devrun.yaml, checked against the Procfile (an entry it defines with `cmd` is among `entries`). */
export interface ProjectSettings {
  /** The file read; undefined when there is none (a Procfile-only project). */
  file: string | undefined;
  byEntry: Map<string, ProcessSettings>;
  /** Entry → dependency depth (0: depends on nothing). */
  depth: Map<string, number>;
}

/** The settings file looked for beside the Procfile when -c does not name one. */
export const SETTINGS_FILE = 'devrun.yaml';

export type LoadResult = { ok: true; project: Project } | { ok: false; diagnostics: Diagnostic[] };

/** Paths in messages are shown relative to where devrun was started, as a user typed them. */
export const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
};

/** What readText reads, with its article: messages say "not a Procfile" but "not an env file". */
type FileKind = 'Procfile' | 'env file' | 'settings file';
const ARTICLE: Record<FileKind, string> = { Procfile: 'a', 'env file': 'an', 'settings file': 'a' };

/** Reads a file as text, turning every fs failure and a binary file into a one-line diagnostic. */
function readText(path: string, what: FileKind): { text: string } | { diagnostic: Diagnostic } {
  try {
    const decoded = decodeText(readFileSync(path));
    return 'text' in decoded ? decoded : { diagnostic: { file: shown(path), line: 0, message: decoded.problem } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `no such ${what}`
        : code === 'EISDIR'
          ? `is a directory, not ${ARTICLE[what]} ${what}`
          : code === 'EACCES' || code === 'EPERM'
            ? `cannot read: permission denied`
            : `cannot read: ${(error as Error).message}`;
    return { diagnostic: { file: shown(path), line: 0, message } };
  }
}

/** The only fs code in config: finds and reads the Procfile, .env and settings files, then runs the pure parsers. */
export function loadProject(options: CommonOptions, shellEnv: NodeJS.ProcessEnv): LoadResult {
  const procfile = resolve(options.procfile ?? join(options.root ?? '.', 'Procfile'));
  const root = resolve(options.root ?? dirname(procfile));
  const diagnostics: Diagnostic[] = [];

  const read = readText(procfile, 'Procfile');
  if ('diagnostic' in read) return { ok: false, diagnostics: [existsSync(procfile) ? read.diagnostic : missingProcfile(procfile)] };
  const parsed = parseProcfile(read.text, shown(procfile));
  diagnostics.push(...parsed.diagnostics);

  const settings = loadSettings(options, procfile, parsed.entries, diagnostics);
  const entries = [...parsed.entries, ...settingsEntries(settings)];
  const { env, envFiles } = loadEnv(options, root, shellEnv, diagnostics);
  // parseArgs has already refused bad syntax (exit 2); this keeps loadProject sound on its own.
  const formation = parseFormation(options.formation);
  if (formation.error) diagnostics.push({ file: '--formation', line: 0, message: formation.error });
  const basePort = options.port ?? parsePort(env.PORT) ?? 5000;
  const expanded = expandFormation(entries, formation.counts, basePort);
  if (expanded.error) diagnostics.push({ file: '--formation', line: 0, message: expanded.error });

  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, project: { root, procfile, entries, specs: expanded.specs, env, envFiles, settings } };
}

/** `-c FILE` (relative to where devrun runs, like -f), or devrun.yaml beside the Procfile when present. */
function loadSettings(options: CommonOptions, procfile: string, entries: ProcfileEntry[], diagnostics: Diagnostic[]): ProjectSettings {
  const none: ProjectSettings = { file: undefined, byEntry: new Map(), depth: new Map() };
  const file = options.config !== undefined ? resolve(options.config) : join(dirname(procfile), SETTINGS_FILE);
  if (options.config === undefined && !existsSync(file)) return none;
  const read = readText(file, 'settings file');
  if ('diagnostic' in read) {
    diagnostics.push(read.diagnostic);
    return none;
  }
  const parsed = parseSettings(read.text, shown(file));
  const checked = checkDependencies(shown(file), entries, parsed.processes);
  diagnostics.push(...parsed.diagnostics, ...checked.diagnostics);
  return { file, byEntry: new Map(parsed.processes.map((p) => [p.name, p])), depth: checked.depth };
}

/** Entries devrun.yaml defines with `cmd`, after the Procfile's (so PORTs of Procfile entries stay put). */
function settingsEntries(settings: ProjectSettings): ProcfileEntry[] {
  return [...settings.byEntry.values()].flatMap((s) => (s.cmd === undefined ? [] : [{ name: s.name, command: s.cmd, line: s.line }]));
}

/** The entry names of the Procfile that -f / -d point at, for shell completion; none when it cannot be read. */
export function procfileEntryNames(procfile: string | undefined, root: string | undefined): string[] {
  const read = readText(resolve(procfile ?? join(root ?? '.', 'Procfile')), 'Procfile');
  return 'text' in read ? parseProcfile(read.text, '').entries.map((e) => e.name) : [];
}

/**
 * No Procfile where devrun looked: the message names the folder, and points at a Procfile variant there
 * (`Procfile.dev`, the Rails `bin/dev` convention, first) to give with -f.
 */
function missingProcfile(procfile: string): Diagnostic {
  const folder = dirname(procfile);
  const diagnostic = (message: string) => ({ file: shown(procfile), line: 0, message });
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return diagnostic(`no such Procfile: the folder ${folder} does not exist`);
  }
  const variants = names
    .filter((name) => /^procfile[._-]./i.test(name) && join(folder, name) !== procfile && isFile(join(folder, name)))
    .sort((a, b) => Number(b === 'Procfile.dev') - Number(a === 'Procfile.dev') || a.localeCompare(b));
  const where = `no such Procfile in ${shown(folder)}`;
  if (variants.length === 0) return diagnostic(where);
  const there = variants.length === 1 ? `there is ${variants[0]}` : `there are ${variants.join(', ')}`;
  return diagnostic(`${where}; ${there}: use -f ${shown(join(folder, variants[0]!))}`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `-e a,b` or `.env` in the root when present; later files win over earlier ones. */
export function loadEnv(
  options: CommonOptions,
  root: string,
  shellEnv: NodeJS.ProcessEnv,
  diagnostics: Diagnostic[],
): { env: Record<string, string>; envFiles: string[] } {
  // -e paths are relative to where devrun runs, like -f; the default .env is the project's.
  const envFiles = options.env ? options.env.map((f) => resolve(f)) : [join(root, '.env')].filter((f) => existsSync(f));
  const dotenv: Record<string, string> = {};
  for (const file of envFiles) {
    const read = readText(file, 'env file');
    if ('diagnostic' in read) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const parsed = parseDotenv(read.text, shown(file));
    diagnostics.push(...parsed.diagnostics);
    Object.assign(dotenv, parsed.vars);
  }
  return { env: layerEnv(shellEnv, dotenv, options.envOverride), envFiles };
}

function parsePort(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/**
 * NAMES on the command line select entries (`web`) or single processes (`web.2`). A name can be unknown
 * to the Procfile, or an entry the formation turned off (`-m web=0`).
 */
export function selectProcesses(
  project: Pick<Project, 'specs' | 'entries'>,
  names: string[],
): { specs: ProcessSpec[]; unknown: string[]; disabled: string[] } {
  const { specs, entries } = project;
  if (names.length === 0) return { specs, unknown: [], disabled: [] };
  const missing = names.filter((n) => !specs.some((s) => s.entry === n || s.name === n));
  const disabled = missing.filter((n) => entries.some((e) => e.name === n));
  const unknown = missing.filter((n) => !disabled.includes(n));
  return { specs: specs.filter((s) => names.includes(s.entry) || names.includes(s.name)), unknown, disabled };
}
