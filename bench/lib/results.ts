// What the workloads report: table rows, target verdicts, and observations (with evidence).

export interface Row {
  workload: string;
  subject: string;
  metric: string;
  unit: string;
  /** One value per run; the median is shown. */
  values: number[];
  /** Shown instead of the median (counts, "skipped: ..."). */
  text?: string;
  note?: string;
}

export interface Verdict {
  target: string;
  /** The figure compared, formatted. */
  value: string;
  /** undefined: not measured (a workload skipped or failed). */
  met: boolean | undefined;
  note?: string;
}

export class Results {
  readonly rows: Row[] = [];
  readonly verdicts: Verdict[] = [];
  readonly observations: string[] = [];

  add(row: Row): void {
    this.rows.push(row);
  }

  verdict(v: Verdict): void {
    this.verdicts.push(v);
  }

  observe(text: string): void {
    this.observations.push(text);
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100): the smallest value with at least p% of the values at or below it. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

const DECIMALS: Record<string, number> = { s: 2, ms: 0, MB: 1, KB: 1, 'KB/s': 1, 'B/s': 0, B: 0, '%': 2, '×': 2, 'cpu-s': 2, lines: 0 };

export function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const decimals = DECIMALS[unit] ?? 2;
  return value.toFixed(decimals);
}

export const withUnit = (value: number, unit: string) => (unit === '×' ? `${fmt(value, unit)}×` : `${fmt(value, unit)} ${unit}`);
