import { Box, Text } from 'ink';
import { ACCENT } from './theme.js';

interface Props {
  title: string;
  /** The emulated screen's rows, with colours. */
  lines: string[];
  width: number;
  height: number;
}

/** A process's real screen (from the terminal emulator), for focus and zoom. */
export function ScreenPane({ title, lines, width, height }: Props) {
  return (
    <Box flexDirection="column" width={width} height={height + 1} paddingLeft={1}>
      <Text bold color={ACCENT} wrap="truncate-end">
        {title}
      </Text>
      {lines.slice(0, height).map((line, i) => (
        // An empty Text has no height in Ink: a blank row must still take its row.
        <Text key={i} wrap="truncate-end">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
