import type { Command } from './commands.js';
import type { MouseReport } from './mouse-input.js';
import type { Mode } from './ui-state.js';

/** Lines one notch of the wheel scrolls the log pane by. */
const WHEEL_LINES = 3;

/** The part of the dashboard's layout (src/components/layout.ts) a pointer position is read against. */
export interface MouseLayout {
  /** Width of the process list with its border; 0 when there is none (narrow terminal, zoom). */
  listWidth: number;
  /** The list has a header row (its full mode). */
  listHeader: boolean;
  bodyHeight: number;
  paneHeight: number;
  /** Columns of text in the pane. */
  paneTextWidth: number;
}

/** What the pointer is over: a process in the list, the list elsewhere, a cell of the pane's text, or neither. */
export type MouseTarget = { area: 'list'; index: number | undefined } | { area: 'pane'; column: number; row: number } | { area: 'none' };

/** The first process the list shows (it scrolls so the selected one stays visible): one source for the list and the mouse. */
export function listWindowStart(selected: number, count: number, visible: number): number {
  return Math.min(Math.max(0, selected - visible + 1), Math.max(0, count - visible));
}

/** Process rows the list has room for: the body less its header line (the full list has one). */
export const listVisibleRows = (bodyHeight: number, header: boolean): number => Math.max(1, bodyHeight - (header ? 1 : 0));

/** Row 1 is the header line; the body follows; in the pane its title line comes first. */
export function mouseTarget(
  { x, y }: Pick<MouseReport, 'x' | 'y'>,
  layout: MouseLayout,
  list: { selected: number; count: number },
): MouseTarget {
  const bodyRow = y - 1;
  if (bodyRow < 1 || bodyRow > layout.bodyHeight) return { area: 'none' };
  if (x <= layout.listWidth) {
    const visible = listVisibleRows(layout.bodyHeight, layout.listHeader);
    const at = bodyRow - (layout.listHeader ? 1 : 0) - 1;
    const index = listWindowStart(list.selected, list.count, visible) + at;
    return { area: 'list', index: at >= 0 && index < list.count ? index : undefined };
  }
  // The pane's left padding is one column; its text rows start below its title.
  const column = x - layout.listWidth - 1;
  const row = bodyRow - 1;
  if (row < 1 || row > layout.paneHeight || column < 1 || column > layout.paneTextWidth) return { area: 'none' };
  return { area: 'pane', column, row };
}

/** How the focused process's own terminal asked for mouse reports (its emulator's modes). */
export interface ChildMouse {
  tracking: 'none' | 'x10' | 'vt200' | 'drag' | 'any';
  /** SGR encoding (`CSI ?1006h`); otherwise the default `ESC [ M` bytes. */
  sgr: boolean;
}

export interface MouseContext {
  mode: Mode;
  selected: number;
  target: MouseTarget;
  /** The focused process's mouse modes; null when it has no terminal on show. */
  child: ChildMouse | null;
}

/**
 * The command for a mouse report, or undefined to drop it. The wheel scrolls what is under the pointer
 * (the pane's log; over the list, the selection); a left click on a process selects it. In focus the
 * report goes to the process, in its pane's cells, only if it asked for mouse reports.
 */
export function mouseCommand(report: MouseReport, { mode, selected, target, child }: MouseContext): Command | undefined {
  if (mode === 'focus') {
    if (target.area !== 'pane' || child === null) return undefined;
    const data = encodeForChild(report, target.column, target.row, child);
    return data === undefined ? undefined : { type: 'focus-write', data };
  }
  const up = report.button === 0;
  if (mode === 'help' && report.kind === 'wheel') return { type: 'help-scroll', unit: 'line', delta: up ? -WHEEL_LINES : WHEEL_LINES };
  if (mode !== 'normal') return undefined;
  if (report.kind === 'wheel') {
    if (target.area === 'pane') return { type: 'scroll', unit: 'line', delta: up ? -WHEEL_LINES : WHEEL_LINES };
    if (target.area === 'list') return { type: 'select', delta: up ? -1 : 1 };
    return undefined;
  }
  if (report.kind === 'press' && report.button === 0 && target.area === 'list' && target.index !== undefined)
    return { type: 'select', delta: target.index - selected };
  return undefined;
}

/** The largest cell the default encoding can carry (one byte each, offset by 32). */
const DEFAULT_MAX = 223;

/** The report as the process's terminal would have sent it, at its cell; undefined where its mode takes none. */
export function encodeForChild(report: MouseReport, column: number, row: number, child: ChildMouse): string | undefined {
  if (child.tracking === 'none') return undefined;
  // X10 tracking reports presses only.
  if (child.tracking === 'x10' && report.kind === 'release') return undefined;
  if (child.sgr) return `\x1b[<${report.code};${column};${row}${report.kind === 'release' ? 'm' : 'M'}`;
  if (column > DEFAULT_MAX || row > DEFAULT_MAX) return undefined;
  // The default encoding has no button for a release: 3, with the modifiers kept.
  const code = report.kind === 'release' ? (report.code & ~3) | 3 : report.code;
  return `\x1b[M${String.fromCharCode(32 + code, 32 + column, 32 + row)}`;
}
