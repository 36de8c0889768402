import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';

/**
 * The bytes of the latest read from the terminal, as typed (Ink's useInput hands out parsed keys, which
 * lose bytes: what focus mode must forward). It listens to Ink's raw input events (an internal emitter of
 * ink 6) from mount to unmount, so it hears each read before any useInput handler does: a handler reads
 * the bytes of its own event here.
 */
export function useRawInput(): { readonly current: string | undefined } {
  const { internal_eventEmitter: rawInput } = useStdin() as ReturnType<typeof useStdin> & {
    internal_eventEmitter?: NodeJS.EventEmitter;
  };
  const latest = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!rawInput) return;
    const record = (data: string) => {
      latest.current = data;
    };
    // First in line: registered at mount, before useInput's listener (which re-registers on every render).
    rawInput.prependListener('input', record);
    return () => {
      rawInput.off('input', record);
    };
  }, [rawInput]);
  return latest;
}
