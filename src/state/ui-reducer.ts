import type { Mode, UiState } from './ui-state.js';

export type UiAction =
  | { type: 'select'; delta: number; count: number }
  | { type: 'toggle-view' }
  /** A scroll's answer; `top` when it went to the oldest line. */
  | { type: 'anchor'; seq: number | null; top?: boolean }
  /** The pane was cleared: follow the end, and the match (a cleared line) is gone. */
  | { type: 'cleared' }
  | { type: 'match'; matchSeq: number; anchorSeq: number | null }
  | { type: 'mode'; mode: Mode }
  | { type: 'draft'; text: string }
  /** Enter in search mode: the draft becomes the query. */
  | { type: 'search-commit' }
  | { type: 'filter-move'; delta: number; count: number }
  | { type: 'filter-toggle'; name: string; all: readonly string[] }
  | { type: 'toggle-timestamps' }
  | { type: 'toggle-wrap' }
  | { type: 'toggle-zoom' }
  | { type: 'notice'; text: string | null };

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Pure: (state, action) -> state. Process commands never come here; they go to the supervisor. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'select': {
      const selected = clamp(state.selected + action.delta, 0, Math.max(0, action.count - 1));
      // A new process shows its latest lines; in the merged view the position is kept.
      if (selected === state.selected) return state;
      return state.view === 'process' ? { ...state, selected, anchorSeq: null, fromTop: false, matchSeq: null } : { ...state, selected };
    }
    case 'toggle-view':
      return { ...state, view: state.view === 'process' ? 'merged' : 'process', anchorSeq: null, fromTop: false, matchSeq: null };
    case 'anchor': {
      const fromTop = action.top === true && action.seq !== null;
      return state.anchorSeq === action.seq && state.fromTop === fromTop ? state : { ...state, anchorSeq: action.seq, fromTop };
    }
    case 'cleared':
      return { ...state, anchorSeq: null, fromTop: false, matchSeq: null };
    case 'match':
      return { ...state, matchSeq: action.matchSeq, anchorSeq: action.anchorSeq, fromTop: false };
    case 'mode':
      // Entering a line mode starts from an empty line; the search line starts from the last query.
      return { ...state, mode: action.mode, draft: action.mode === 'search' ? state.query : '', notice: null };
    case 'draft':
      return { ...state, draft: action.text };
    case 'search-commit':
      return { ...state, mode: 'normal', query: state.draft, draft: '', matchSeq: null };
    case 'filter-move':
      return { ...state, filterCursor: clamp(state.filterCursor + action.delta, 0, Math.max(0, action.count - 1)) };
    case 'filter-toggle': {
      const shown = new Set(state.filter ?? action.all);
      if (shown.has(action.name)) shown.delete(action.name);
      else shown.add(action.name);
      // Everything shown is the same as no filter; nothing shown is allowed (an empty view says so).
      const filter = shown.size === action.all.length ? null : shown;
      return { ...state, filter, anchorSeq: null, fromTop: false };
    }
    case 'toggle-timestamps':
      return { ...state, timestamps: !state.timestamps };
    case 'toggle-wrap':
      return { ...state, wrap: !state.wrap };
    case 'toggle-zoom':
      return { ...state, zoom: !state.zoom };
    case 'notice':
      return state.notice === action.text ? state : { ...state, notice: action.text };
  }
}
