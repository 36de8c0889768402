import { useStdout } from 'ink';
import { useEffect, useRef } from 'react';
import { type AlertState, alertTitle, BELL, NO_ALERT, nextAlert, titleSequence } from '../state/crash-alert.js';
import type { ProcessRow } from '../state/process-rows.js';

/**
 * A crash while the user looks at another process shows in the terminal's title (OSC 2: "devrun ✗
 * worker.1", so a tmux window gets flagged) and, with `bell`, rings once per crash; the title goes back
 * to "devrun" once they look at it or it recovers. Title and bell bytes move no cursor: Ink's frame is
 * untouched. Nothing is written until the first crash.
 */
export function useCrashAlert(rows: readonly ProcessRow[], looking: string | undefined, bell: boolean): void {
  const { stdout } = useStdout();
  const alert = useRef<AlertState>(NO_ALERT);
  const titled = useRef(false);
  useEffect(() => {
    const { state, rings } = nextAlert(alert.current, rows, looking);
    const changed = state.alerted !== alert.current.alerted;
    alert.current = state;
    let bytes = '';
    if (changed && (titled.current || state.alerted.length > 0)) {
      titled.current = true;
      bytes += titleSequence(alertTitle(state.alerted));
    }
    if (bell && rings > 0) bytes += BELL;
    if (bytes) stdout.write(bytes);
  }, [rows, looking, bell, stdout]);
}
