import { Box, Text } from 'ink';
import { displayKey, KEYMAP } from '../state/keymap.js';
import type { Mode } from '../state/ui-state.js';
import { ACCENT } from './theme.js';

const SECTIONS: Array<[Mode, string]> = [
  ['normal', 'Dashboard'],
  ['input', 'Input line (i)'],
  ['search', 'Search line (/)'],
  ['filter', 'Merged-log filter (f)'],
  ['focus', 'Focus (Ctrl-])'],
  ['confirm-stop', 'Stop everything (Q)'],
];

/** Every binding, generated from the keymap table, so help can never drift from what keys do. */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const rows: Array<{ key: string; text: string; heading?: boolean }> = [];
  for (const [mode, title] of SECTIONS) {
    rows.push({ key: title, text: '', heading: true });
    for (const b of KEYMAP[mode]) rows.push({ key: b.keys.map(displayKey).join(' '), text: b.help });
  }
  // As many columns as the height needs; at small sizes the texts are cut, never the list.
  const perColumn = Math.max(1, height - 1);
  const columnCount = Math.ceil(rows.length / perColumn);
  const columns = Array.from({ length: columnCount }, (_, c) => rows.slice(c * perColumn, (c + 1) * perColumn));
  // Each column as wide as its own longest keys, so one long key list does not squeeze every text.
  const keyWidth = (column: typeof rows) => Math.min(18, Math.max(1, ...column.filter((r) => !r.heading).map((r) => r.key.length))) + 1;
  return (
    <Box flexDirection="column" width={width} height={height + 1} paddingLeft={1}>
      <Text bold color={ACCENT}>
        Keys <Text dimColor>(Esc or ? closes)</Text>
      </Text>
      <Box flexDirection="row">
        {columns.map((column, c) => {
          const keys = keyWidth(column);
          return (
            <Box key={c} flexDirection="column" width={Math.floor((width - 1) / columns.length)}>
              {column.map((row, i) =>
                row.heading ? (
                  <Text key={i} bold wrap="truncate-end">
                    {row.key}
                  </Text>
                ) : (
                  <Text key={i} wrap="truncate-end">
                    <Text color={ACCENT}>{row.key.slice(0, keys - 1).padEnd(keys)}</Text>
                    {row.text}
                  </Text>
                ),
              )}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
