/**
 * One size per process terminal, by tmux's "latest" rule: a process's terminal has the size of the
 * pane of the dashboard that last typed into it, focused it or zoomed it. The other dashboards show it
 * in their own panes as it is; merely showing it, or laying themselves out anew, changes nothing.
 *
 * The acts that size it:
 * - typing into it (a line in input mode, raw keys in focus): runCommand sizes it before the keys go;
 * - focusing or zooming it, and this dashboard's own resize while focused or zoomed on it;
 * - leaving focus or zoom: it is back in this dashboard's pane, at the pane's size;
 * - the first time a dashboard that sizes on first show (the one in the devrun process, not attached
 *   ones) shows it in its pane: a process nobody has typed into yet gets a size its output wraps
 *   sensibly at, rather than the supervisor's 80x24. Attached dashboards never size on sight: a second
 *   dashboard looking around must not resize what the first one is using.
 * A process keeps its size across restarts (the supervisor remembers it per process).
 */

/** How this dashboard shows the selected process's terminal now. */
export interface TerminalView {
  name: string;
  /** Its own screen is shown (focus or zoom), not its log. */
  screen: boolean;
  /** Its screen or its own log is in the pane (not the merged log): what first show means. */
  inPane: boolean;
  columns: number;
  rows: number;
}

export interface TerminalResize {
  name: string;
  columns: number;
  rows: number;
}

/**
 * The resize this dashboard makes when its view of the selected terminal goes from `prev` to `next`
 * (undefined: no terminal is shown, or none selected); null for none. `shown` holds the processes it
 * has already sized on first show.
 */
export function resizeOnViewChange(
  prev: TerminalView | undefined,
  next: TerminalView | undefined,
  firstShow: { enabled: boolean; shown: ReadonlySet<string> },
): TerminalResize | null {
  if (next === undefined) return null;
  const claim = { name: next.name, columns: next.columns, rows: next.rows };
  const same = prev !== undefined && prev.name === next.name;
  if (next.screen) {
    // Entering focus or zoom, or this dashboard resized while in it.
    const unchanged = same && prev.screen && prev.columns === next.columns && prev.rows === next.rows;
    return unchanged ? null : claim;
  }
  // Leaving focus or zoom: back in the pane.
  if (same && prev.screen) return claim;
  if (firstShow.enabled && next.inPane && !firstShow.shown.has(next.name)) return claim;
  // Only the layout (or the selection) changed.
  return null;
}

/** The size a dashboard gives the terminal it types into: the size it shows it at (null: no terminal). */
export function resizeOnTyping(view: TerminalView | undefined, name: string | undefined): TerminalResize | null {
  return view !== undefined && view.name === name ? { name, columns: view.columns, rows: view.rows } : null;
}

/**
 * How this dashboard shows the selected process's terminal: its own screen or its log, both at the
 * pane's text width (`pane.width`: every column its rows can fill); undefined when it has no terminal.
 */
export function terminalViewOf(
  name: string | undefined,
  hasTerminal: boolean,
  shown: { screen: boolean; inPane: boolean },
  pane: { width: number; height: number },
): TerminalView | undefined {
  if (name === undefined || !hasTerminal) return undefined;
  const columns = Math.max(shown.screen ? 2 : 1, pane.width);
  return { name, screen: shown.screen, inPane: shown.inPane, columns, rows: pane.height };
}
