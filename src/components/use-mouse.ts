import { useEffect, useRef } from 'react';
import { type MouseContext, type MouseLayout, mouseCommand, mouseTarget } from '../state/mouse-actions.js';
import type { MouseReport } from '../state/mouse-input.js';
import type { Commands } from './use-commands.js';

/** Where mouse reports come from: the input filter in front of Ink (input-filter.ts); none with --no-mouse. */
export interface MouseSource {
  onMouse(listener: (report: MouseReport) => void): () => void;
}

/** What the pointer is read against at the moment a report is handled (this render's layout and list). */
export interface MouseView {
  layout: MouseLayout;
  count: number;
  child: (selected: number) => MouseContext['child'];
}

/** Mouse reports to commands, through the same queue as keys (a report sees the state the keys before it left). */
export function useMouse(source: MouseSource | undefined, commands: Commands, view: MouseView): void {
  const latest = useRef(view);
  latest.current = view;
  const { enqueue, runNow } = commands;
  useEffect(() => {
    if (!source) return;
    return source.onMouse((report) =>
      enqueue(async (ui) => {
        const { mode, selected } = ui();
        const { layout, count, child } = latest.current;
        const target = mouseTarget(report, layout, { selected, count });
        const command = mouseCommand(report, { mode, selected, target, child: mode === 'focus' ? child(selected) : null });
        if (command) await runNow(command);
      }),
    );
  }, [source, enqueue, runNow]);
}
