import { useInput } from 'ink';
import { commandFor, type KeyInfo, NO_KEY } from '../state/keymap.js';
import type { UiState } from '../state/ui-state.js';
import type { Commands } from './use-commands.js';
import { useFocusForwarding } from './use-focus-forwarding.js';

/**
 * Keys to commands: Ink's parsed keys while the dashboard has the keyboard, raw bytes to the selected
 * process while it is focused. Every key takes its turn in the command queue, and is read in the mode
 * the previous keys left.
 */
export function useKeys(commands: Commands, focusedName: string | undefined): void {
  const { enqueue, run, runNow, dispatch } = commands;
  const press = async (input: string, key: KeyInfo, ui: () => UiState) => {
    if (ui().notice) dispatch({ type: 'notice', text: null });
    const command = commandFor(ui().mode, input, key);
    if (command) await runNow(command);
  };

  // Focus: the raw bytes of every key go to the process, but Ctrl-].
  useFocusForwarding(focusedName, {
    write: (data) => run({ type: 'focus-write', data }),
    leave: () => run({ type: 'close-overlay' }),
    // Keys read after focus ended (same read, or before the re-render) are dashboard keys.
    dashboardKey: (char) => enqueue((ui) => press(char, NO_KEY, ui)),
  });

  useInput(
    (input, key) =>
      enqueue(async (ui) => {
        if (input.length <= 1 || key.ctrl || key.meta || key.escape) return press(input, key, ui);
        if (ui().mode !== 'input' && ui().mode !== 'search') {
          for (const char of input) await press(char, NO_KEY, ui);
          return;
        }
        // Text and Enter typed (or pasted) together: each line break submits, as in a terminal.
        const parts = input.split(/\r\n|\r|\n/);
        for (const [i, part] of parts.entries()) {
          if (i > 0) await press('', { ...NO_KEY, return: true }, ui);
          if (part) await press(part, NO_KEY, ui);
        }
      }),
    { isActive: focusedName === undefined },
  );
}
