/** What the dashboard shows and how; everything here is pure data, changed only by ui-reducer. */
export type ViewMode = 'process' | 'merged';

/**
 * normal: keys are commands · search/input: a line is being typed · help/filter: an overlay is open ·
 * focus: every key goes raw to the selected process until the focus key comes back ·
 * confirm-stop: Q asked "stop every process and devrun?": y stops everything, any other key cancels ·
 * copy: a cursor line moves over the pane, a range of lines is copied to the clipboard.
 */
export type Mode = 'normal' | 'search' | 'input' | 'help' | 'filter' | 'focus' | 'confirm-stop' | 'copy';

/** Copy mode (v): a cursor line in the pane and, once V or Space marked one, a range of whole lines. */
export interface CopyState {
  /** The seq of the cursor's line. */
  cursor: number;
  /** The seq of the line the selection started at; null: only the cursor's line. */
  mark: number | null;
  /** The pane followed the end before: leaving copy mode follows again. */
  follow: boolean;
}

/** The seqs of the first and last line copy mode would copy. */
export const copyRange = ({ cursor, mark }: CopyState): readonly [number, number] => [
  Math.min(cursor, mark ?? cursor),
  Math.max(cursor, mark ?? cursor),
];

export interface UiState {
  mode: Mode;
  /** Index of the selected process in the process list. */
  selected: number;
  view: ViewMode;
  /** null: follow the end of the log. Otherwise the seq of the line shown at the bottom of the pane. */
  anchorSeq: number | null;
  /** Home was pressed: the pane starts at the oldest line (long lines wrap downwards, not upwards). */
  fromTop: boolean;
  /** The active search (highlighted, n/N jump); '' for none. */
  query: string;
  /** The line n/N last jumped to; the next jump starts from it. */
  matchSeq: number | null;
  /** Which match that is, of how many in the view ("match 3 of 12"), when it was found; null: none. */
  matchCount: { index: number; count: number } | null;
  /** The queries searched in this session, oldest first (↑/↓ in the search line recall them). */
  history: readonly string[];
  /** The history entry shown in the search line while ↑/↓ browse it; null: the line typed. */
  historyAt: number | null;
  /** The line being typed in search or input mode. */
  draft: string;
  /** Processes shown in the merged view; null shows all. */
  filter: ReadonlySet<string> | null;
  /** Cursor row in the filter overlay. */
  filterCursor: number;
  timestamps: boolean;
  /** Long lines wrap onto more rows (true) or are cut with a mark. */
  wrap: boolean;
  /** The selected process's pane fills the screen. */
  zoom: boolean;
  /** Rows the help overlay is scrolled down by. */
  helpOffset: number;
  /** Copy mode's cursor and selection; null outside copy mode. */
  copy: CopyState | null;
  /** A short notice in the status bar ("no match for foo"), cleared by the next key. */
  notice: string | null;
}

export const initialUiState: UiState = {
  mode: 'normal',
  selected: 0,
  view: 'process',
  anchorSeq: null,
  fromTop: false,
  query: '',
  matchSeq: null,
  matchCount: null,
  history: [],
  historyAt: null,
  draft: '',
  filter: null,
  filterCursor: 0,
  timestamps: false,
  wrap: true,
  zoom: false,
  helpOffset: 0,
  copy: null,
  notice: null,
};
