import { Box, Text } from 'ink';
import { memo } from 'react';
import type { LogLine } from '../control/process-control.js';
import type { PaneLine } from '../state/pane-model.js';
import { clipText, splitMatches } from './clip.js';
import { ACCENT } from './theme.js';

export type { PaneLine };

interface Props {
  title: string;
  /** "following", or "paused · 120 newer lines · End to follow". */
  position: string;
  following: boolean;
  lines: PaneLine[];
  width: number;
  height: number;
  /** Name column width in the merged view; 0 in a single process's view. */
  prefixWidth: number;
  query: string;
  /** The search in the title: "/needle · match 3 of 12" ('' for none). */
  search?: string;
  /** "port 5000 · http://localhost:5000/" (after the search: a narrow pane cuts the end). */
  address?: string;
  timestamps: boolean;
  emptyText: string;
}

/** Right column: a title line and exactly the visible window of log lines (never the whole buffer). */
export function LogPane({
  title,
  position,
  following,
  lines,
  width,
  height,
  prefixWidth,
  query,
  search = '',
  address = '',
  timestamps,
  emptyText,
}: Props) {
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
      {lines.length === 0 ? (
        <Text dimColor>{emptyText}</Text>
      ) : (
        lines.map(({ line, colour }) => (
          <LogRow
            key={line.seq}
            line={line}
            colour={colour}
            width={width - 1}
            prefixWidth={prefixWidth}
            query={query}
            timestamps={timestamps}
          />
        ))
      )}
    </Box>
  );
}

interface RowProps {
  line: LogLine;
  colour: string;
  width: number;
  prefixWidth: number;
  query: string;
  timestamps: boolean;
}

const clock = (ts: number) => new Date(ts).toTimeString().slice(0, 8);

/** One log line, memoized by its seq: scrolling re-renders only the rows that came into view. */
export const LogRow = memo(function LogRow({ line, colour, width, prefixWidth, query, timestamps }: RowProps) {
  const stamp = timestamps ? `${clock(line.ts)} ` : '';
  const prefix = prefixWidth > 0 ? `${line.proc.padEnd(prefixWidth)} ` : '';
  const room = Math.max(1, width - stamp.length - prefix.length);
  // Matches are searched in what fits the row only: a 16 KB line must not become thousands of parts.
  const parts = query ? splitMatches(clipText(line.text, room), query) : undefined;
  const dim = line.stream === 'system' || line.stream === 'input';
  return (
    <Text wrap="truncate-end">
      {stamp && <Text dimColor>{stamp}</Text>}
      {prefix && <Text color={colour}>{prefix}</Text>}
      {line.stream === 'input' && <Text dimColor>{'› '}</Text>}
      {parts && parts.length > 1 ? (
        parts.map((part, i) =>
          i % 2 === 1 ? (
            <Text key={i} inverse color="yellow">
              {part}
            </Text>
          ) : (
            part
          ),
        )
      ) : (
        <Text dimColor={dim} italic={line.stream === 'system'}>
          {/* An empty Text has no height in Ink: a blank line must still take its row. */}
          {clipText(line.text, room) || ' '}
        </Text>
      )}
    </Text>
  );
});
