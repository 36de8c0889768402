import { capText, copiedNotice } from './clipboard.js';
import type { CommandContext } from './commands.js';
import { scopeOf } from './pane-model.js';
import { copyRange } from './ui-state.js';

/** Copy mode's commands (v, then move, mark, copy, leave). */
export type CopyCommand =
  | { type: 'copy-open' }
  | { type: 'copy-move'; delta: number }
  | { type: 'copy-mark' }
  | { type: 'copy-yank' }
  | { type: 'copy-leave' };

export const COPY_TYPES = ['copy-open', 'copy-move', 'copy-mark', 'copy-yank', 'copy-leave'] as const;

/**
 * Copy mode on the log pane: the cursor is a whole line (copying takes whole lines, however the view
 * cuts or wraps them). Entering pins the pane where it is (the cursor starts on its newest line), so
 * new output does not move what is being selected; moving past the pane's edge scrolls it a line.
 */
export async function runCopyCommand(command: CopyCommand, ctx: CommandContext, selected: string | undefined): Promise<void> {
  const { ui, dispatch, control, paneHeight } = ctx;
  const shown = ctx.shownSeqs ?? [];
  const scope = scopeOf(ui, selected);
  switch (command.type) {
    case 'copy-open': {
      const cursor = shown.at(-1);
      if (cursor === undefined) return dispatch({ type: 'notice', text: 'nothing to copy here' });
      dispatch({ type: 'copy', copy: { cursor, mark: null, follow: ui.anchorSeq === null } });
      dispatch({ type: 'mode', mode: 'copy' });
      return dispatch({ type: 'anchor', seq: cursor });
    }
    case 'copy-move': {
      if (!ui.copy) return;
      const at = shown.indexOf(ui.copy.cursor);
      const next = at >= 0 ? shown[at + command.delta] : undefined;
      if (next !== undefined) return dispatch({ type: 'copy', copy: { ...ui.copy, cursor: next } });
      // Past the pane's edge: the line beyond it, and the pane scrolls to show it.
      if (command.delta < 0) {
        const { lines } = await control.window(scope, ui.copy.cursor, 2);
        if (lines.length < 2) return;
        dispatch({ type: 'copy', copy: { ...ui.copy, cursor: lines[0]!.seq } });
        return dispatch({ type: 'anchor', seq: await control.scroll(scope, ui.anchorSeq, -1, paneHeight) });
      }
      const below = await control.scroll(scope, ui.copy.cursor, 1, paneHeight);
      const cursor = below ?? (await control.window(scope, null, 1)).lines.at(-1)?.seq;
      if (cursor === undefined || cursor === ui.copy.cursor) return;
      dispatch({ type: 'copy', copy: { ...ui.copy, cursor } });
      return dispatch({ type: 'anchor', seq: cursor });
    }
    case 'copy-mark':
      if (!ui.copy) return;
      return dispatch({ type: 'copy', copy: { ...ui.copy, mark: ui.copy.mark === null ? ui.copy.cursor : null } });
    case 'copy-yank': {
      if (!ui.copy) return;
      const text = capText(await control.text(scope, ...copyRange(ui.copy)));
      ctx.clipboard?.(text.text);
      leave(ctx);
      return dispatch({ type: 'notice', text: copiedNotice(text) });
    }
    case 'copy-leave':
      return leave(ctx);
  }
}

/** Back to the dashboard's keys; following again if the pane followed before. */
function leave({ ui, dispatch }: CommandContext): void {
  const follow = ui.copy?.follow ?? false;
  dispatch({ type: 'mode', mode: 'normal' });
  if (follow) dispatch({ type: 'anchor', seq: null });
}
