import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { FOCUS_KEY_BYTE } from '../state/keymap.js';

export interface FocusHandlers {
  /** Raw bytes for the focused process. */
  write(data: string): void;
  /** Ctrl-] was pressed. */
  leave(): void;
  /** A key read after focus ended: the dashboard's. */
  dashboardKey(char: string): void;
}

/**
 * While `name` is focused, every key's raw bytes (arrows, Ctrl-C, Esc, Tab) go to it, until Ctrl-].
 * Ink's useInput parses keys and loses bytes, so this listens to Ink's raw input events (an internal
 * emitter of ink 6) and keeps raw mode on itself (Ink drops it when no useInput is active).
 */
export function useFocusForwarding(name: string | undefined, handlers: FocusHandlers): void {
  const { internal_eventEmitter: rawInput, setRawMode } = useStdin() as ReturnType<typeof useStdin> & {
    internal_eventEmitter?: NodeJS.EventEmitter;
  };
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    if (name === undefined || !rawInput) return;
    setRawMode(true);
    let focused = true;
    const forward = (data: string) => {
      const { write, leave, dashboardKey } = current.current;
      if (!focused) {
        // Focus ended but React has not re-rendered (and removed this listener) yet.
        for (const char of data) dashboardKey(char);
        return;
      }
      const at = data.indexOf(FOCUS_KEY_BYTE);
      if (at < 0) return write(data);
      if (at > 0) write(data.slice(0, at));
      focused = false;
      leave();
      for (const char of data.slice(at + 1)) dashboardKey(char);
    };
    rawInput.on('input', forward);
    return () => {
      rawInput.off('input', forward);
      setRawMode(false);
    };
  }, [name, rawInput, setRawMode]);
}
