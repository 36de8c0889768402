import { describeExit, type ProcessState, type ProcessStatus } from '../engine/process-state.js';
import type { ResourceUsage } from '../engine/resource-sampler.js';

/** How a status reads at a glance: the component maps a tone to a colour. */
export type Tone = 'good' | 'busy' | 'muted' | 'warn' | 'bad';

/** One row of the process list, fully formatted: the component only lays it out. */
export interface ProcessRow {
  name: string;
  /** Procfile position, for the process colour. */
  index: number;
  status: ProcessStatus;
  glyph: string;
  /**
   * running · ready · starting · waiting for db (port 5432) · blocked: migrate crashed: exit 1 · stopping… ·
   * stopped · exited 0 · crashed (exit 1) · restarting in 4s · failed (exit 1)
   */
  statusText: string;
  tone: Tone;
  restarts: number;
  pid: number | undefined;
  /** '' when not sampled (not running). */
  cpu: string;
  memory: string;
  uptime: string;
  /** "port 5000 · http://localhost:5000/": its PORT and the first URL its run printed (the pane title). */
  address: string;
}

const GLYPHS: Record<ProcessStatus, [string, Tone]> = {
  pending: ['·', 'muted'],
  waiting: ['…', 'busy'],
  blocked: ['⊘', 'warn'],
  starting: ['◌', 'busy'],
  running: ['●', 'good'],
  ready: ['●', 'good'],
  stopping: ['◍', 'busy'],
  stopped: ['○', 'muted'],
  exited: ['✓', 'muted'],
  crashed: ['✗', 'bad'],
  backoff: ['↻', 'warn'],
  failed: ['✗', 'bad'],
};

export function statusText(state: ProcessState, now: number): string {
  switch (state.status) {
    case 'backoff': {
      const seconds = Math.max(0, Math.ceil(((state.restartAt ?? now) - now) / 1000));
      return `restarting in ${seconds}s`;
    }
    case 'crashed':
      return `crashed (${state.lastExit ? describeExit(state.lastExit) : ''})`;
    case 'failed':
      return `failed (${state.reason ?? (state.lastExit ? describeExit(state.lastExit) : '')})`;
    case 'exited':
      return `exited ${state.lastExit?.code ?? 0}`;
    case 'stopping':
      return 'stopping…';
    case 'waiting':
      return state.reason ?? 'waiting';
    case 'blocked':
      return `blocked: ${state.reason ?? ''}`;
    default:
      return state.status;
  }
}

/** <1m, 4m, 2h, 3d: coarse on purpose, so an idle dashboard has nothing to redraw second by second. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return '<1m';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

export function formatMemory(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  return `${Math.round(mb)} MB`;
}

export function formatCpu(percent: number): string {
  return `${Math.round(percent)}%`;
}

export function processRows(states: readonly ProcessState[], usage: ReadonlyMap<string, ResourceUsage>, now: number): ProcessRow[] {
  return states.map((state) => {
    const [glyph, tone] = GLYPHS[state.status];
    const live = state.pid !== undefined;
    const sample = live ? usage.get(state.name) : undefined;
    return {
      name: state.name,
      index: state.index,
      status: state.status,
      glyph,
      statusText: statusText(state, now),
      tone,
      restarts: state.restarts,
      pid: state.pid,
      cpu: sample ? formatCpu(sample.cpu) : '',
      memory: sample ? formatMemory(sample.rss) : '',
      uptime: live && state.startedAt !== undefined ? formatUptime(now - state.startedAt) : '',
      address: [`port ${state.port}`, ...(state.url ? [state.url] : [])].join(' · '),
    };
  });
}

/** "5 running · 1 crashed · CPU 43% · 812 MB" */
export function totalsText(states: readonly ProcessState[], usage: ReadonlyMap<string, ResourceUsage>): string {
  const counts = new Map<string, number>();
  for (const s of states) {
    const word = s.status === 'backoff' ? 'restarting' : s.status;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const order = [
    'running',
    'ready',
    'starting',
    'waiting',
    'restarting',
    'stopping',
    'crashed',
    'failed',
    'blocked',
    'exited',
    'stopped',
    'pending',
  ];
  const parts = order.filter((w) => counts.has(w)).map((w) => `${counts.get(w)} ${w}`);
  let cpu = 0;
  let rss = 0;
  for (const s of states) {
    const u = s.pid !== undefined ? usage.get(s.name) : undefined;
    if (u) {
      cpu += u.cpu;
      rss += u.rss;
    }
  }
  if (usage.size > 0) parts.push(`CPU ${formatCpu(cpu)}`, formatMemory(rss));
  return parts.join(' · ');
}
