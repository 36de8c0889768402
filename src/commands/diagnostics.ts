import { type Diagnostic, formatDiagnostic } from '../config/types.js';

/** One line per problem on stderr; returns the exit code for bad input. */
export function printDiagnostics(diagnostics: Diagnostic[]): number {
  for (const d of diagnostics) process.stderr.write(`devrun: ${formatDiagnostic(d)}\n`);
  return 1;
}
