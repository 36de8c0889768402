import { Box, Text } from 'ink';
import { processColour } from '../palette.js';
import type { ProcessRow } from '../state/process-rows.js';
import { ACCENT } from './theme.js';

interface Props {
  rows: ProcessRow[];
  filter: ReadonlySet<string> | null;
  cursor: number;
  width: number;
  height: number;
}

/** Which processes the merged log shows: a checklist, Space toggles. */
export function FilterOverlay({ rows, filter, cursor, width, height }: Props) {
  const first = Math.max(0, Math.min(cursor - height + 2, rows.length - height + 1));
  return (
    <Box flexDirection="column" width={width} height={height + 1} paddingLeft={1}>
      <Text bold color={ACCENT}>
        Merged log shows <Text dimColor>(Space toggles, Enter closes)</Text>
      </Text>
      {rows.slice(first, first + height).map((row, i) => {
        const shown = filter === null || filter.has(row.name);
        const here = first + i === cursor;
        return (
          <Text key={row.name} wrap="truncate-end" inverse={here}>
            {shown ? '[x] ' : '[ ] '}
            <Text color={processColour(row.index).name}>{row.name}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
