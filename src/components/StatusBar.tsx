import { Text } from 'ink';
import { displayKey, KEYMAP } from '../state/keymap.js';
import type { Mode } from '../state/ui-state.js';
import { ACCENT } from './theme.js';

interface Props {
  mode: Mode;
  notice: string | null;
  shutdown: { remaining: number; total: number } | null;
  width: number;
  /** An attached dashboard: q detaches there (the devrun goes on stopping), it does not kill. */
  attached?: boolean;
}

/** The keys that matter in this mode, from the keymap table; a notice or shutdown progress first. */
export function StatusBar({ mode, notice, shutdown, width, attached = false }: Props) {
  const keys = KEYMAP[mode]
    .filter((b) => b.bar)
    .map((b) => `${displayKey(b.keys[0]!)} ${b.bar}`)
    .join('  ');
  return (
    <Text wrap="truncate-end">
      {shutdown ? (
        <Text color="yellow" bold>
          {`stopping ${shutdown.remaining} of ${shutdown.total}… (${attached ? 'q detaches' : 'q again: kill now'})  `}
        </Text>
      ) : null}
      {notice ? <Text color="yellow">{`${notice}  `}</Text> : null}
      <Text dimColor>{[...keys].slice(0, width).join('')}</Text>
    </Text>
  );
}

interface LineProps {
  /** "web.1>" for input, "/" for search. */
  prompt: string;
  draft: string;
  hint: string;
}

/** The line being typed (input to a process, or a search), with a drawn cursor. */
export function LineEditor({ prompt, draft, hint }: LineProps) {
  return (
    <Text wrap="truncate-start">
      <Text color={ACCENT} bold>
        {prompt}
      </Text>
      {draft}
      <Text inverse> </Text>
      <Text dimColor>{`  ${hint}`}</Text>
    </Text>
  );
}
