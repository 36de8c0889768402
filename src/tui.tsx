import { render } from 'ink';
import { App } from './components/App.js';
import { frameQueries } from './components/frame-queries.js';
import { InputFilter } from './components/input-filter.js';
import { colourlessStream, noColourWanted } from './components/no-colour.js';
import type { ProcessControl } from './control/process-control.js';
import { osc52 } from './state/clipboard.js';
import { FrameGate } from './state/frame-gate.js';
import { DashboardStore } from './state/store.js';

// Autowrap off while the dashboard is up: a line whose width the terminal counts differently from
// string-width (ambiguous-width or unusual characters in a child's output) is clipped at the edge
// instead of wrapping and scrolling the whole frame.
const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[?7l\x1b[H\x1b[2J';
const LEAVE_ALT_SCREEN = '\x1b[?7h\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
/**
 * Mouse: click and wheel reports (no motion, which would flood a slow link) in SGR encoding, and
 * alternate scroll off so the wheel arrives as reports rather than arrow keys.
 */
const MOUSE_ON = '\x1b[?1000h\x1b[?1006h\x1b[?1007l';
const MOUSE_OFF = '\x1b[?1000l\x1b[?1006l';
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

export interface Dashboard {
  /**
   * Unmounts Ink and gives the user's screen back; safe to call more than once. It first waits (at most
   * the reply timeout) for the answer to the last frame's query while raw mode is still on, so that
   * answer never reaches the shell; `immediately` skips the wait (an internal error, a hang-up).
   */
  close(immediately?: boolean): Promise<void>;
  /**
   * The terminal hung up: stop drawing and never touch it again (no restore, no raw-mode change, which
   * fail on a dead terminal). devrun then ends by SIGHUP without Ink's cleanup.
   */
  abandon(): void;
}

export interface DashboardActions {
  /** The terminal failed (EIO): a hang-up. (q and Ctrl-C go to the control's quit.) */
  terminalGone(): void;
  /** `devrun attach`: terminals are sized only by typing, focus and zoom (src/state/terminal-size.ts). */
  attached?: boolean;
  /** --bell: a crash the user is not looking at rings the bell. */
  bell?: boolean;
  /** Mouse reports (wheel, click); --no-mouse turns them off. On unless false. */
  mouse?: boolean;
}

/**
 * Full-screen dashboard on the alternate screen. Ink 6 has no option for the alternate screen, so
 * devrun writes the sequences itself and restores the terminal on every exit path (close, or the
 * process exiting for any reason).
 */
export function runDashboard(
  control: ProcessControl,
  { terminalGone, attached = false, bell = false, mouse = true }: DashboardActions,
): Dashboard {
  const { stdout, stdin } = process;
  // Frame flow control: each frame Ink writes is followed by a query; the next commit waits for the answer.
  const gate = new FrameGate();
  const store = new DashboardStore(control, { gate });
  stdout.write(ENTER_ALT_SCREEN + (mouse ? MOUSE_ON : ''));
  // On the alternate screen until restored, or until the terminal is gone (nothing to restore then).
  let onAltScreen = true;
  const restore = () => {
    if (!onAltScreen) return;
    onAltScreen = false;
    stdout.write((mouse ? MOUSE_OFF : '') + LEAVE_ALT_SCREEN + SHOW_CURSOR);
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

  // The terminal went away (window closed, SSH dropped): writes fail with EIO. Stop drawing and let
  // devrun stop everything as for SIGHUP, instead of crashing on the next frame.
  // Kept after close (a late EIO must not become an uncaught error), but inert then.
  const onTerminalError = () => {
    if (abandoned || closed) return;
    abandon();
    terminalGone();
  };
  stdout.on('error', onTerminalError);
  stdin.on('error', onTerminalError);

  // Every byte from the terminal passes the filter: answers to the gate, mouse reports to the App, the
  // rest to Ink's keys.
  const input = new InputFilter(stdin);
  input.onReply(() => gate.answered());
  const frames = frameQueries(noColourWanted(process.env) ? colourlessStream(stdout) : stdout, () => gate.asked());
  instance = render(
    <App
      control={control}
      store={store}
      attached={attached}
      bell={bell}
      mouse={mouse ? input : undefined}
      gate={gate}
      clipboard={(text) => stdout.write(osc52(text))}
    />,
    {
      stdin: input as unknown as NodeJS.ReadStream,
      // NO_COLOR: no colours anywhere on the dashboard (children's too); bold, dim and inverse stay.
      stdout: frames.stream,
      exitOnCtrlC: false,
      patchConsole: false,
      incrementalRendering: true,
      maxFps: 20,
    },
  );

  let closed: Promise<void> | undefined;
  function close(immediately = false): Promise<void> {
    if (closed) return closed;
    frames.stop();
    store.dispose();
    if (immediately) giveBack();
    closed = immediately ? Promise.resolve() : gate.settled().then(giveBack);
    return closed;
  }
  function giveBack() {
    stdout.off('resize', onResize);
    gate.dispose();
    if (!abandoned) {
      try {
        instance?.unmount();
      } catch {
        // A terminal that hung up fails to leave raw mode; there is nothing left to restore then.
      }
      restore();
    }
    input.detach();
    process.off('exit', restore);
  }

  let abandoned = false;
  function abandon() {
    abandoned = true;
    onAltScreen = false;
    frames.stop();
    gate.dispose();
    store.dispose();
    input.detach();
  }

  return { close, abandon };
}
