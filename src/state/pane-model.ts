import type { LogScope } from '../control/process-control.js';
import type { UiState } from './ui-state.js';

/** The ring the log pane shows: the selected process's, or the merged one through the filter. */
export function scopeOf(ui: Pick<UiState, 'view' | 'filter'>, selectedName: string | undefined): LogScope {
  if (ui.view === 'process') return { kind: 'process', name: selectedName ?? '' };
  return { kind: 'merged', only: ui.filter === null ? null : [...ui.filter] };
}
