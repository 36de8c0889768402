import { render } from 'ink';
import { App } from './components/App.js';
import type { Supervisor } from './engine/supervisor.js';
import { DashboardStore } from './state/store.js';

// Autowrap off while the dashboard is up: a line whose width the terminal counts differently from
// string-width (ambiguous-width or unusual characters in a child's output) is clipped at the edge
// instead of wrapping and scrolling the whole frame.
const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[?7l\x1b[H\x1b[2J';
const LEAVE_ALT_SCREEN = '\x1b[?7h\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

export interface Dashboard {
  /** Unmounts Ink and gives the user's screen back; safe to call more than once. */
  close(): void;
}

/**
 * Full-screen dashboard on the alternate screen. Ink 6 has no option for the alternate screen, so
 * devrun writes the sequences itself and restores the terminal on every exit path (close, or the
 * process exiting for any reason).
 */
export function runDashboard(supervisor: Supervisor, quit: () => void): Dashboard {
  const { stdout } = process;
  const store = new DashboardStore(supervisor);
  stdout.write(ENTER_ALT_SCREEN);
  let open = true;
  const restore = () => {
    if (!open) return;
    open = false;
    stdout.write(LEAVE_ALT_SCREEN + SHOW_CURSOR);
  };
  process.on('exit', restore);

  // Registered before Ink's own listener, so the screen is blank before Ink draws at the new size
  // (a shrinking terminal otherwise keeps stale rows of the old frame).
  let instance: ReturnType<typeof render> | undefined;
  const onResize = () => {
    stdout.write(CLEAR_SCREEN);
    instance?.clear();
  };
  stdout.on('resize', onResize);

  instance = render(<App supervisor={supervisor} store={store} quit={quit} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    incrementalRendering: true,
    maxFps: 20,
  });

  return {
    close() {
      if (!open) return;
      stdout.off('resize', onResize);
      instance?.unmount();
      store.dispose();
      restore();
      process.off('exit', restore);
    },
  };
}
