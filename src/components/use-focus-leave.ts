import { useEffect } from 'react';
import { focusLeaveNotice } from '../state/focus-leave.js';
import type { ProcessRow } from '../state/process-rows.js';
import type { UiAction } from '../state/ui-reducer.js';
import type { UiState } from '../state/ui-state.js';

/** Leaves focus, with a notice, when the focused process's run ends (focus-leave.ts decides). */
export function useFocusLeave(ui: UiState, row: ProcessRow | undefined, dispatch: (action: UiAction) => void): void {
  const notice = focusLeaveNotice(ui, row);
  useEffect(() => {
    if (notice === null) return;
    dispatch({ type: 'mode', mode: 'normal' });
    dispatch({ type: 'notice', text: notice });
  }, [notice, dispatch]);
}
