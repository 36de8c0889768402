import type { StatusReport } from '../control/target.js';
import { formatCpu, formatMemory, formatUptime } from '../state/process-rows.js';

const COLUMNS = ['NAME', 'STATE', 'PID', '↻', 'CPU', 'MEM', 'UP'] as const;

/** `devrun status` for people: one header line, one row per process, columns padded to fit. */
export function formatStatus(report: StatusReport, now: number): string {
  const rows = report.processes.map((p) => [
    p.name,
    stateText(p),
    p.pid === null ? '' : String(p.pid),
    String(p.restarts),
    p.cpu === null ? '' : formatCpu(p.cpu),
    p.rss === null ? '' : formatMemory(p.rss),
    p.startedAt === null ? '' : formatUptime(now - Date.parse(p.startedAt)),
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  const head = `devrun pid ${report.pid} · ${report.root} · since ${new Date(report.startedAt).toLocaleTimeString()}\n`;
  return head + line(COLUMNS) + rows.map(line).join('');
}

/** "crashed (exit 1)", "failed (not ready after 60 s)"; a reason that says its state ("waiting for db (port 5432)") alone. */
export function stateText(p: StatusReport['processes'][number]): string {
  if (p.reason) return p.reason.startsWith(p.state) ? p.reason : `${p.state} (${p.reason})`;
  return p.exit && p.state !== 'running' && p.state !== 'ready' ? `${p.state} (${describe(p.exit)})` : p.state;
}

function describe(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ?? `exit ${exit.code}`;
}
