import { type Diagnostic, formatDiagnostic } from '../config/types.js';

/**
 * Past this many, the rest are only counted: a wrong file (a binary, a JSON file given as Procfile) would
 * otherwise scroll the first problems, the ones to fix first, off the screen.
 */
export const MAX_PRINTED_DIAGNOSTICS = 10;

/** One line per problem, the first MAX_PRINTED_DIAGNOSTICS of them, then a count of the others. */
export function diagnosticLines(diagnostics: Diagnostic[]): string[] {
  const lines = diagnostics.slice(0, MAX_PRINTED_DIAGNOSTICS).map((d) => `devrun: ${formatDiagnostic(d)}`);
  const more = diagnostics.length - lines.length;
  return more > 0 ? [...lines, `devrun: … and ${more} more`] : lines;
}

/** Prints the problems on stderr; returns the exit code for bad input. */
export function printDiagnostics(diagnostics: Diagnostic[]): number {
  for (const line of diagnosticLines(diagnostics)) process.stderr.write(`${line}\n`);
  return 1;
}
