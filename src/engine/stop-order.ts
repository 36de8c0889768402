/**
 * The order of a stop that respects dependencies: deepest first (what nothing depends on), one depth at a
 * time; the processes of one depth stop in parallel. Pure: items grouped by depth, deepest group first.
 */
export function stopLevels<T>(items: readonly T[], depthOf: (item: T) => number): T[][] {
  const byDepth = new Map<number, T[]>();
  for (const item of items) {
    const depth = depthOf(item);
    byDepth.set(depth, [...(byDepth.get(depth) ?? []), item]);
  }
  return [...byDepth.entries()].sort(([a], [b]) => b - a).map(([, level]) => level);
}
