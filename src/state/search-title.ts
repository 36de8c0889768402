import type { UiState } from './ui-state.js';

/** The search part of the pane title: "/needle · match 3 of 12", "/needle" before a jump, '' for none. */
export function searchTitle(ui: Pick<UiState, 'query' | 'matchCount'>): string {
  if (!ui.query) return '';
  const { matchCount } = ui;
  return matchCount ? `/${ui.query} · match ${matchCount.index} of ${matchCount.count}` : `/${ui.query}`;
}
