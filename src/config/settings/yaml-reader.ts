import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../types.js';

/**
 * Reads values out of a parsed YAML document and reports what is wrong with them at the node's line and
 * column, with the key path (`processes.web.ready.port`), so every settings error reads
 * `devrun.yaml:12:7: processes.web.ready.port: must be ...`.
 */
export class YamlReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** 1-based line and column of a node (0, 0 when it has no place: an empty value). */
  at(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 0, column: 0 };
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  report(node: Node | null | undefined, path: string, message: string): void {
    this.diagnostics.push({ file: this.file, ...this.at(node), message: `${path}: ${message}` });
  }

  /** The pairs of a map, or a report that it must be one (null: an empty value, which is an empty map). */
  pairs(node: unknown, path: string, what: string): Pair<Node, Node | null>[] | undefined {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (isMap(node)) return (node as YAMLMap<Node, Node | null>).items;
    this.report(node as Node, path, `must be ${what}`);
    return undefined;
  }

  /** A key as text (YAML keys may be numbers or booleans: `1:`, `on:`). */
  keyOf(pair: Pair<Node, Node | null>): string {
    return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
  }

  /** The plain value of a scalar; undefined and a report for a list or map. */
  scalar(node: Node | null, path: string): unknown {
    if (node === null || (isScalar(node) && node.value === null)) return null;
    if (isScalar(node)) return node.value;
    this.report(node, path, `must be a single value, not a ${isSeq(node) ? 'list' : 'map'}`);
    return undefined;
  }

  string(node: Node | null, path: string): string | undefined {
    const value = this.scalar(node, path);
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (value !== undefined) this.report(node, path, `must be a non-empty string, got ${JSON.stringify(value)}`);
    return undefined;
  }

  /** A string or a list of strings. */
  strings(node: Node | null, path: string): string[] | undefined {
    if (!isSeq(node)) {
      const one = this.string(node, path);
      return one === undefined ? undefined : [one];
    }
    const values: string[] = [];
    for (const [i, item] of (node.items as (Node | null)[]).entries()) {
      const value = this.string(item, `${path}[${i}]`);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(node: Node | null, path: string, allowed: readonly T[]): T | undefined {
    const value = this.scalar(node, path);
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    if (value !== undefined) this.report(node, path, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return undefined;
  }

  boolean(node: Node | null, path: string): boolean | undefined {
    const value = this.scalar(node, path);
    if (typeof value === 'boolean') return value;
    if (value !== undefined) this.report(node, path, `must be true or false, got ${JSON.stringify(value)}`);
    return undefined;
  }

  integer(node: Node | null, path: string, min: number, max: number): number | undefined {
    const value = this.scalar(node, path);
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    if (value !== undefined) this.report(node, path, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return undefined;
  }

  /** A value run through one of values.ts's parsers. */
  parsed<T>(node: Node | null, path: string, parse: (raw: unknown) => { value: T } | { problem: string }): T | undefined {
    const raw = this.scalar(node, path);
    if (raw === undefined) return undefined;
    const result = parse(raw);
    if ('value' in result) return result.value;
    this.report(node, path, result.problem);
    return undefined;
  }
}
