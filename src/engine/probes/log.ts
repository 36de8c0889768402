import { stripAnsi } from '../sanitize.js';

/**
 * A test of one line of output against the probe's pattern. Lines come whole from the line splitter
 * (a line written in several chunks is matched once complete), sanitized; colours are stripped too, so
 * `listening on \d+` matches however the program colours its number.
 */
export function logMatcher(pattern: string): (line: string) => boolean {
  const regex = new RegExp(pattern);
  return (line) => regex.test(line.includes('\x1b') ? stripAnsi(line) : line);
}
