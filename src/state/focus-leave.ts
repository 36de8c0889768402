import type { ProcessRow } from './process-rows.js';
import type { UiState } from './ui-state.js';

/**
 * Focus hands every key to one process; once that process has no run (it exited, crashed or was
 * stopped) the keys would go nowhere, so focus leaves by itself. Returns the notice saying so, or null
 * while focus stays. Pure: the dashboard dispatches the change.
 */
export function focusLeaveNotice(ui: Pick<UiState, 'mode'>, row: ProcessRow | undefined): string | null {
  if (ui.mode !== 'focus' || row === undefined || row.pid !== undefined) return null;
  return `${row.name} ${row.status === 'stopped' ? 'stopped' : 'exited'}: focus left`;
}

/** What typing into a process with no run says, instead of dropping the text. */
export function notRunningNotice(name: string): string {
  return `${name} is not running: s starts it`;
}
