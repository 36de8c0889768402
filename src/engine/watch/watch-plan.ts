import picomatch from 'picomatch';
import type { WatchSettings } from '../../config/types.js';

/** Folders never walked nor watched: devrun's own (its log files would restart what writes them) and git's. */
const ALWAYS_IGNORED = ['.git', '.devrun'];
/** Skipped too, unless a watch glob names it. */
const DEPENDENCIES = 'node_modules';

/**
 * Which folders a process's watch needs and which changes count, from its globs (relative to the project
 * root, `/`-separated relative paths in and out). Pure: the walking and watching is tree-watcher.ts's.
 *
 * Only folders that could hold a match are walked: a glob's static base (`src` for `src/**\/*.ts`), and
 * below it only the folders its segments allow (`config/*.yml` watches `config` alone). Ignored folders
 * are pruned, not filtered: nothing under them is read or watched.
 */
export class WatchPlan {
  /** The folders to start walking from (`''` is the root), deduplicated, shallowest first. */
  readonly bases: string[];
  private readonly globs: { base: string[]; rest: string[] | undefined }[];
  private readonly matches: (path: string) => boolean;
  private readonly ignores: (path: string) => boolean;
  private readonly skipped: Set<string>;

  constructor(settings: WatchSettings) {
    // A plain path (no wildcard) is that file, or that folder and everything in it.
    const globs = settings.globs
      .map(clean)
      .flatMap((g) => (picomatch.scan(g).isGlob ? [g] : [g.replace(/\/$/, ''), `${g.replace(/\/$/, '')}/**`]));
    this.globs = globs.map(splitGlob);
    this.bases = [...new Set(this.globs.map((g) => g.base.join('/')))].sort((a, b) => a.length - b.length);
    this.matches = picomatch(globs);
    const ignore = settings.ignore.map(clean);
    // `tmp`, `tmp/` and `tmp/**` all mean the folder and everything in it.
    this.ignores = picomatch([...ignore, ...ignore.map((g) => `${g.replace(/\/(\*\*)?$/, '')}/**`)]);
    const named = settings.globs.some((g) => g.split('/').includes(DEPENDENCIES));
    this.skipped = new Set(named ? ALWAYS_IGNORED : [...ALWAYS_IGNORED, DEPENDENCIES]);
  }

  /** A change of this file (or folder) restarts the process. */
  matters(path: string): boolean {
    return this.matches(path) && !this.ignores(path);
  }

  /** This folder is walked and watched: not ignored, and some glob could match something in it. */
  wants(dir: string): boolean {
    const parts = dir === '' ? [] : dir.split('/');
    if (parts.some((p) => this.skipped.has(p)) || (dir !== '' && this.ignores(dir))) return false;
    return this.globs.some((g) => couldHold(g, parts));
  }
}

/** `src/**\/*.ts` (cleaned) → base [src], rest [**, *.ts]; a plain path `config/app.yml` → base [config], rest [app.yml]. */
function splitGlob(glob: string): { base: string[]; rest: string[] | undefined } {
  const scan = picomatch.scan(glob);
  const path = scan.isGlob ? scan.base : scan.input.split('/').slice(0, -1).join('/');
  const base = path === '' ? [] : path.split('/');
  const rest = glob.split('/').slice(base.length);
  // A brace or group spanning folders (`{a,b/c}`) cannot be read segment by segment: anything under the base may match.
  return { base, rest: /[{(][^})]*\/[^})]*[})]/.test(rest.join('/')) ? undefined : rest };
}

/**
 * A folder (its path's parts) could hold a match of the glob: it lies on the way to the base, or below it
 * where each of its names matches the glob's segment at that depth, up to a `**` (anything below then).
 */
function couldHold(glob: { base: string[]; rest: string[] | undefined }, parts: string[]): boolean {
  const { base, rest } = glob;
  for (let i = 0; i < Math.min(base.length, parts.length); i++) if (base[i] !== parts[i]) return false;
  if (parts.length <= base.length) return true;
  if (!rest) return true;
  const below = parts.slice(base.length);
  for (const [i, name] of below.entries()) {
    const segment = rest[i];
    // Past a `**` any folder may hold a match, but not a hidden one (a `*` or `**` does not match a leading dot).
    if (segment === '**') return below.slice(i).every((n) => !n.startsWith('.'));
    // The last segment names files (or folders whose change is seen from their parent).
    if (segment === undefined || i === rest.length - 1) return false;
    if (!picomatch.isMatch(name, segment)) return false;
  }
  return true;
}

/** `./src/` → `src/`: paths are compared relative to the root, without a leading `./`. */
const clean = (glob: string) => glob.replace(/^(\.\/)+/, '');
