import type { IBufferCell, Terminal as TerminalType } from '@xterm/headless';
import xterm from '@xterm/headless';

const { Terminal } = xterm as unknown as { Terminal: typeof TerminalType };

/**
 * A headless terminal emulator for one process's screen, so a full-screen program (an editor, top, a
 * REPL's line editing) shows as it would in its own terminal. Only the focused or zoomed process has
 * one: it is fed the process's recent raw output, then what follows.
 */
export class ScreenEmulator {
  private readonly term: TerminalType;
  private readonly cell: IBufferCell;
  private disposed = false;

  constructor(
    columns: number,
    rows: number,
    private readonly onChange: () => void,
  ) {
    this.term = new Terminal({ cols: Math.max(2, columns), rows: Math.max(1, rows), scrollback: 0, allowProposedApi: true });
    this.cell = this.term.buffer.active.getNullCell();
  }

  write(data: Uint8Array): void {
    if (!this.disposed) this.term.write(data, () => !this.disposed && this.onChange());
  }

  resize(columns: number, rows: number): void {
    this.term.resize(Math.max(2, columns), Math.max(1, rows));
    this.onChange();
  }

  /** The visible screen, one string per row, with SGR colour sequences and the cursor drawn inverse. */
  lines(): string[] {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.term.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      lines.push(line ? this.rowToSgr(line, y === buffer.cursorY ? buffer.cursorX : -1) : '');
    }
    return lines;
  }

  /**
   * How the process asked its terminal for mouse reports: tracking (none unless it set ?1000 and
   * friends) and whether in SGR encoding (?1006). xterm has no public API for the encoding: read
   * from its mouse service, SGR assumed when that is not there.
   */
  mouseMode(): { tracking: 'none' | 'x10' | 'vt200' | 'drag' | 'any'; sgr: boolean } {
    const tracking = this.term.modes.mouseTrackingMode;
    const core = (this.term as unknown as { _core?: { coreMouseService?: { activeEncoding?: string } } })._core;
    const encoding = core?.coreMouseService?.activeEncoding;
    return { tracking, sgr: encoding === undefined || encoding.startsWith('SGR') };
  }

  dispose(): void {
    this.disposed = true;
    this.term.dispose();
  }

  private rowToSgr(line: NonNullable<ReturnType<TerminalType['buffer']['active']['getLine']>>, cursorX: number): string {
    let out = '';
    let style = '';
    const end = Math.max(trimmedLength(line, this.cell, this.term.cols), Math.min(cursorX + 1, this.term.cols));
    for (let x = 0; x < end; x++) {
      const cell = line.getCell(x, this.cell);
      if (!cell || cell.getWidth() === 0) continue; // the right half of a wide character
      const next = x === cursorX ? `${sgrOf(cell)};7` : sgrOf(cell);
      if (next !== style) {
        out += `\x1b[0${next}m`;
        style = next;
      }
      out += cell.getChars() || ' ';
    }
    return style ? `${out}\x1b[0m` : out;
  }
}

/** Columns up to the last cell that has a character or a background. */
function trimmedLength(line: { getCell(x: number, cell: IBufferCell): IBufferCell | undefined }, cell: IBufferCell, cols: number): number {
  for (let x = cols - 1; x >= 0; x--) {
    const c = line.getCell(x, cell);
    if (c && (c.getChars() !== '' || !c.isBgDefault() || c.isInverse())) return x + 1;
  }
  return 0;
}

function colour(isRGB: boolean, isPalette: boolean, value: number, base: 30 | 40): string {
  if (isRGB) return `;${base + 8};2;${(value >> 16) & 255};${(value >> 8) & 255};${value & 255}`;
  if (!isPalette) return '';
  if (value < 8) return `;${base + value}`;
  if (value < 16) return `;${base + 60 + value - 8}`;
  return `;${base + 8};5;${value}`;
}

/** The SGR parameters (after a reset) that draw this cell's style; '' for the default style. */
function sgrOf(cell: IBufferCell): string {
  let sgr = '';
  if (cell.isBold()) sgr += ';1';
  if (cell.isDim()) sgr += ';2';
  if (cell.isItalic()) sgr += ';3';
  if (cell.isUnderline()) sgr += ';4';
  if (cell.isInverse()) sgr += ';7';
  if (cell.isStrikethrough()) sgr += ';9';
  sgr += colour(cell.isFgRGB(), cell.isFgPalette(), cell.getFgColor(), 30);
  sgr += colour(cell.isBgRGB(), cell.isBgPalette(), cell.getBgColor(), 40);
  return sgr;
}
