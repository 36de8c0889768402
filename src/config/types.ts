/** A problem in an input file, reported as `file:line: message`. */
export interface Diagnostic {
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  line: number;
  /** 1-based, when known (the settings file's errors have one). */
  column?: number;
  message: string;
}

/** One `name: command` line of a Procfile. */
export interface ProcfileEntry {
  name: string;
  command: string;
  /** 1-based line number in the Procfile. */
  line: number;
}

/** One process to run: an entry times its formation count gives web.1, web.2, ... */
export interface ProcessSpec {
  /** Display and addressing name, foreman style: `web.1`. */
  name: string;
  /** The Procfile entry it came from: `web`. */
  entry: string;
  /** Position of the entry in the Procfile (0-based), used for PORT and colour. */
  index: number;
  /** 1-based instance number within the entry. */
  instance: number;
  command: string;
  port: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  if (d.line <= 0) return `${d.file}: ${d.message}`;
  return d.column ? `${d.file}:${d.line}:${d.column}: ${d.message}` : `${d.file}:${d.line}: ${d.message}`;
}
