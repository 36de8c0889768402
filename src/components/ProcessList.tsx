import { Box, Text } from 'ink';
import { Fragment, memo } from 'react';
import { listVisibleRows, listWindowStart } from '../state/mouse-actions.js';
import { longestName } from '../state/pane-model.js';
import type { ProcessRow } from '../state/process-rows.js';
import type { Layout } from './layout.js';
import { columnsOf, fit } from './list-columns.js';
import { TONE_COLOUR } from './theme.js';

interface Props {
  rows: ProcessRow[];
  selected: number;
  layout: Layout;
}

type Columns = ReturnType<typeof columnsOf>;

/** Left column: one row per process, scrolled so the selected one is always visible. Columns: list-columns.tsx. */
export const ProcessList = memo(function ProcessList({ rows, selected, layout }: Props) {
  const { listWidth, listMode, bodyHeight } = layout;
  if (listWidth === 0) return null;
  const columns = columnsOf(listMode, longestName(rows));
  const header = listMode === 'full';
  const visible = listVisibleRows(bodyHeight, header);
  const first = listWindowStart(selected, rows.length, visible);
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
      {header && (
        <Text dimColor wrap="truncate-end">
          {`  ${columns.map(({ column, width }) => fit(column.title, width, column.align)).join(' ')}`}
        </Text>
      )}
      {shown.map((row, i) => (
        <Row key={row.name} row={row} isSelected={first + i === selected} columns={columns} />
      ))}
    </Box>
  );
});

const Row = memo(function Row({ row, isSelected, columns }: { row: ProcessRow; isSelected: boolean; columns: Columns }) {
  return (
    <Text wrap="truncate-end" bold={isSelected}>
      <Text color={TONE_COLOUR[row.tone]}>{row.glyph}</Text>
      {isSelected ? <Text color="white">›</Text> : ' '}
      {columns.map(({ column, width }, i) => (
        <Fragment key={column.title}>
          {i > 0 && ' '}
          {column.cell(fit(column.text(row), width, column.align), row, isSelected)}
        </Fragment>
      ))}
    </Text>
  );
});
