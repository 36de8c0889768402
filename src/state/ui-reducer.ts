import type { CopyState, Mode, UiState } from './ui-state.js';

export type UiAction =
  | { type: 'select'; delta: number; count: number }
  | { type: 'toggle-view' }
  /** A scroll's answer; `top` when it went to the oldest line. */
  | { type: 'anchor'; seq: number | null; top?: boolean }
  /** The pane was cleared: follow the end, and the match (a cleared line) is gone. */
  | { type: 'cleared' }
  | { type: 'match'; matchSeq: number; anchorSeq: number | null; count?: { index: number; count: number } | null }
  /** ↑/↓ in the search line: an earlier (-1) or later (+1) query of this session. */
  | { type: 'history'; delta: number }
  /** Esc: no search any more (no highlight, no match). */
  | { type: 'search-clear' }
  | { type: 'help-offset'; offset: number }
  | { type: 'mode'; mode: Mode }
  | { type: 'draft'; text: string }
  /** Enter in search mode: the draft becomes the query. */
  | { type: 'search-commit' }
  | { type: 'filter-move'; delta: number; count: number }
  | { type: 'filter-toggle'; name: string; all: readonly string[] }
  | { type: 'toggle-timestamps' }
  | { type: 'toggle-wrap' }
  | { type: 'toggle-zoom' }
  | { type: 'notice'; text: string | null }
  /** Copy mode's cursor and selection moved (the mode is entered and left by 'mode'). */
  | { type: 'copy'; copy: CopyState };

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** The pane follows the newest line again, and no line is the current match. */
const FOLLOW_END = { anchorSeq: null, fromTop: false, matchSeq: null, matchCount: null } as const;

type SearchAction = Extract<UiAction, { type: 'match' | 'history' | 'search-commit' | 'search-clear' }>;

/** Pure: (state, action) -> state. Process commands never come here; they go to the supervisor. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'select': {
      const selected = clamp(state.selected + action.delta, 0, Math.max(0, action.count - 1));
      // A new process shows its latest lines; in the merged view the position is kept.
      if (selected === state.selected) return state;
      return state.view === 'process' ? { ...state, selected, ...FOLLOW_END } : { ...state, selected };
    }
    case 'toggle-view':
      return { ...state, view: state.view === 'process' ? 'merged' : 'process', ...FOLLOW_END };
    case 'anchor': {
      const fromTop = action.top === true && action.seq !== null;
      return state.anchorSeq === action.seq && state.fromTop === fromTop ? state : { ...state, anchorSeq: action.seq, fromTop };
    }
    case 'cleared':
      return { ...state, ...FOLLOW_END };
    case 'match':
    case 'history':
    case 'search-commit':
    case 'search-clear':
      return searchReducer(state, action);
    case 'mode':
      // Entering a line mode starts from an empty line (the search line too: ↑ recalls the last query).
      return {
        ...state,
        mode: action.mode,
        draft: '',
        historyAt: null,
        helpOffset: 0,
        notice: null,
        copy: action.mode === 'copy' ? state.copy : null,
      };
    case 'draft':
      return { ...state, draft: action.text, historyAt: null };
    case 'help-offset':
      return state.helpOffset === action.offset ? state : { ...state, helpOffset: Math.max(0, action.offset) };
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
    case 'copy':
      return { ...state, copy: action.copy };
    case 'notice':
      return state.notice === action.text ? state : { ...state, notice: action.text };
  }
}

/** The search: a jump to a match, the line's history, Enter and Esc. */
function searchReducer(state: UiState, action: SearchAction): UiState {
  switch (action.type) {
    case 'match':
      return { ...state, matchSeq: action.matchSeq, anchorSeq: action.anchorSeq, fromTop: false, matchCount: action.count ?? null };
    case 'history':
      return recall(state, action.delta);
    case 'search-commit':
      return {
        ...state,
        mode: 'normal',
        query: state.draft,
        draft: '',
        matchSeq: null,
        matchCount: null,
        history: remember(state.history, state.draft),
        historyAt: null,
      };
    case 'search-clear':
      return state.query === '' && state.matchSeq === null ? state : { ...state, query: '', matchSeq: null, matchCount: null };
  }
}

/** How many queries the search history keeps. */
const HISTORY_SIZE = 50;

/** The history with `query` as its newest entry (an earlier copy moves up); blank queries are not kept. */
function remember(history: readonly string[], query: string): readonly string[] {
  if (!query.trim()) return history;
  return [...history.filter((q) => q !== query), query].slice(-HISTORY_SIZE);
}

/** ↑ (-1) shows an earlier query, ↓ (+1) a later one; below the newest, the line is empty again. */
function recall(state: UiState, delta: number): UiState {
  const { history } = state;
  if (history.length === 0) return state;
  const at = clamp((state.historyAt ?? history.length) + delta, 0, history.length);
  if (at === history.length) return { ...state, historyAt: null, draft: '' };
  return { ...state, historyAt: at, draft: history[at]! };
}
