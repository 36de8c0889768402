import { Text } from 'ink';
import { barKeys } from '../state/keymap.js';
import type { Mode, ViewMode } from '../state/ui-state.js';
import { ACCENT } from './theme.js';

interface Props {
  mode: Mode;
  /** The merged view offers the process view (Tab). */
  view?: ViewMode;
  notice: string | null;
  shutdown: { remaining: number; total: number } | null;
  width: number;
  /** An attached dashboard: q detaches there (the devrun goes on stopping), it does not kill. */
  attached?: boolean;
}

/**
 * The keys that matter in this mode and view, from the keymap table (while stopping, only those that
 * still do something); a notice or shutdown progress first.
 */
export function StatusBar({ mode, view = 'process', notice, shutdown, width, attached = false }: Props) {
  const keys = barKeys(mode, { view, stopping: shutdown !== null });
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
