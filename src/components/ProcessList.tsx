import { Box, Text } from 'ink';
import { memo } from 'react';
import { processColour } from '../palette.js';
import type { ProcessRow } from '../state/process-rows.js';
import type { Layout } from './layout.js';
import { TONE_COLOUR } from './theme.js';

interface Props {
  rows: ProcessRow[];
  selected: number;
  layout: Layout;
}

const cell = (text: string, width: number, align: 'left' | 'right' = 'left') => {
  const cut = [...text].slice(0, width).join('');
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
};

/** Left column: one row per process, scrolled so the selected one is always visible. */
export const ProcessList = memo(function ProcessList({ rows, selected, layout }: Props) {
  const { listWidth, listMode, bodyHeight } = layout;
  if (listWidth === 0) return null;
  const inner = listWidth - 1;
  const nameWidth = listMode === 'full' ? 15 : listMode === 'compact' ? 12 : inner - 3;
  const visible = Math.max(1, bodyHeight - (listMode === 'full' ? 1 : 0));
  const first = Math.min(Math.max(0, selected - visible + 1), Math.max(0, rows.length - visible));
  const shown = rows.slice(first, first + visible);
  return (
    <Box
      flexDirection="column"
      width={listWidth}
      height={bodyHeight}
      borderStyle="single"
      borderTop={false}
      borderBottom={false}
      borderLeft={false}
      borderDimColor
    >
      {listMode === 'full' && (
        <Text dimColor wrap="truncate-end">
          {`  ${cell('NAME', nameWidth)} ${cell('STATUS', 18)} ${cell('↻', 3, 'right')} ${cell('CPU', 4, 'right')} ${cell('MEM', 7, 'right')} ${cell('UP', 3, 'right')}`}
        </Text>
      )}
      {shown.map((row, i) => (
        <Row key={row.name} row={row} isSelected={first + i === selected} nameWidth={nameWidth} mode={listMode} />
      ))}
    </Box>
  );
});

const Row = memo(function Row({
  row,
  isSelected,
  nameWidth,
  mode,
}: {
  row: ProcessRow;
  isSelected: boolean;
  nameWidth: number;
  mode: Layout['listMode'];
}) {
  const tone = TONE_COLOUR[row.tone];
  const alarming = row.tone === 'bad';
  return (
    <Text wrap="truncate-end" bold={isSelected}>
      <Text color={tone}>{row.glyph}</Text>
      {isSelected ? <Text color="white">›</Text> : ' '}
      <Text color={alarming ? 'red' : processColour(row.index).name} inverse={isSelected}>
        {cell(row.name, nameWidth)}
      </Text>
      {mode !== 'names' && (
        <>
          {' '}
          <Text color={tone} bold={alarming || isSelected}>
            {cell(row.statusText, 18)}
          </Text>
        </>
      )}
      {mode === 'full' && (
        <Text dimColor={!isSelected}>
          {` ${cell(String(row.restarts), 3, 'right')} ${cell(row.cpu, 4, 'right')} ${cell(row.memory, 7, 'right')} ${cell(row.uptime, 3, 'right')}`}
        </Text>
      )}
    </Text>
  );
});
