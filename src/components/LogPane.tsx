import { Box, Text } from 'ink';
import { memo } from 'react';
import { stripAnsi } from '../engine/sanitize.js';
import type { PaneRow } from '../state/pane-model.js';
import { ACCENT } from './theme.js';

interface Props {
  title: string;
  /** "following", or "paused · 120 newer lines · End to follow". */
  position: string;
  following: boolean;
  /** Exactly the rows that fit, each already wrapped or cut to the pane's text width. */
  rows: PaneRow[];
  width: number;
  height: number;
  /** The search in the title: "/needle · match 3 of 12" ('' for none). */
  search?: string;
  /** "port 5000 · http://localhost:5000/" (after the search: a narrow pane cuts the end). */
  address?: string;
  emptyText: string;
}

/** Right column: a title line and exactly the visible rows (never the whole buffer). */
export function LogPane({ title, position, following, rows, width, height, search = '', address = '', emptyText }: Props) {
  return (
    <Box flexDirection="column" width={width} height={height + 1} paddingLeft={1}>
      <Text wrap="truncate-end">
        <Text bold color={ACCENT}>
          {title}
        </Text>
        {/* The search before the position: a narrow pane cuts the title's end. */}
        {search ? <Text color="gray"> · {search}</Text> : null}
        {address ? <Text color="gray"> · {address}</Text> : null}
        <Text color={following ? 'gray' : 'yellow'}> · {position}</Text>
      </Text>
      {rows.length === 0 ? <Text dimColor>{emptyText}</Text> : rows.map(({ key, ...row }) => <LogRow key={key} {...row} />)}
    </Box>
  );
}

/** One row, memoized by its props: scrolling re-renders only the rows that came into view. */
export const LogRow = memo(function LogRow({ stamp, name, colour, marker, text, tone, copy }: Omit<PaneRow, 'key'>) {
  // Copy mode: the lines to copy inverse, in plain text (a child's own colour codes would end the inverse).
  if (copy)
    return (
      <Text wrap="truncate-end" inverse bold={copy === 'cursor'}>
        {stamp + name + marker + (stripAnsi(text) || ' ')}
      </Text>
    );
  return (
    <Text wrap="truncate-end">
      {stamp && <Text dimColor>{stamp}</Text>}
      {name && <Text color={colour}>{name}</Text>}
      {marker && <Text dimColor>{marker}</Text>}
      <Text dimColor={tone !== 'output'} italic={tone === 'system'}>
        {/* An empty Text has no height in Ink: a blank line must still take its row. */}
        {text || ' '}
      </Text>
    </Text>
  );
});
