import { Box, Text } from 'ink';
import { type HelpLine, helpLayout } from '../state/help-layout.js';
import { ACCENT } from './theme.js';

interface Props {
  width: number;
  /** Rows under the title. */
  height: number;
  /** Rows scrolled down (clamped here too, in case the terminal grew since). */
  offset?: number;
}

/** Every binding, generated from the keymap table (src/state/help-layout.ts lays it out), so help never drifts. */
export function HelpOverlay({ width, height, offset = 0 }: Props) {
  const layout = helpLayout(width, height);
  const top = Math.max(0, Math.min(layout.maxOffset, offset));
  const scrolls = layout.maxOffset > 0;
  const where = scrolls ? ` · ↑↓ PgUp PgDn scroll · rows ${top + 1}-${Math.min(layout.rows, top + layout.viewRows)} of ${layout.rows}` : '';
  return (
    <Box flexDirection="column" width={width} height={height + 1} paddingLeft={1}>
      <Text bold color={ACCENT} wrap="truncate-end">
        Keys <Text dimColor>{`(Esc or ? closes${where})`}</Text>
      </Text>
      <Box flexDirection="row">
        {layout.columns.map((column, c) => (
          <Box key={c} flexDirection="column" width={layout.columnWidth}>
            {column.slice(top, top + layout.viewRows).map((line, i) => (
              <HelpRow key={i} line={line} keyWidth={layout.keyWidth} />
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}

function HelpRow({ line, keyWidth }: { line: HelpLine; keyWidth: number }) {
  if (line.kind === 'blank') return <Text> </Text>;
  if (line.kind === 'heading')
    return (
      <Text bold wrap="truncate-end">
        {line.text}
      </Text>
    );
  return (
    <Text wrap="truncate-end">
      <Text color={ACCENT}>{line.key.padEnd(keyWidth)}</Text>
      {line.text || ' '}
    </Text>
  );
}
