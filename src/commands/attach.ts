import { type ControlClient, ControlError } from '../control/client.js';
import { RemoteControl } from '../control/remote-control.js';
import type { Dashboard } from '../tui.js';

/**
 * `devrun attach`: the whole dashboard of the devrun running here (foreground or -D), in this terminal,
 * over the control socket (RemoteControl). Any number may be attached at once, each with its own
 * selection, view and scroll; what they do to processes, every one sees.
 *
 * - q and Ctrl-C detach: the dashboard closes, the connection too, and the processes keep running (0).
 * - Q then y stops everything: a `shutdown` request; the devrun ending then closes the dashboard as below.
 * - The devrun ending (or the connection dropping) closes the dashboard, and one line says so (0).
 * - The terminal hanging up ends this client only, as a SIGHUP does: devrun and the other attached
 *   dashboards see one connection close.
 */
export async function attachDashboard(client: ControlClient, { mouse = true }: { mouse?: boolean } = {}): Promise<number> {
  if (process.stdout.isTTY !== true || process.stdin.isTTY !== true) {
    process.stderr.write('devrun: attach shows the dashboard: it needs a terminal (try `devrun status` or `devrun logs -f`)\n');
    return 1;
  }
  // As for a new run (start.ts): a dumb terminal has no cursor movement to draw with.
  if (process.env.TERM === 'dumb') {
    process.stderr.write('devrun: TERM=dumb cannot draw the dashboard (try `devrun status` or `devrun logs -f`)\n');
    return 1;
  }
  let finish: (message?: string) => void = () => {};
  const done = new Promise<number>((resolve) => {
    let finished = false;
    finish = (message) => {
      if (finished) return;
      finished = true;
      const closing = dashboard?.close() ?? Promise.resolve();
      control?.dispose();
      client.close();
      void closing.then(() => {
        if (message !== undefined) process.stderr.write(`devrun: ${message}\n`);
        resolve(0);
      });
    };
  });
  let dashboard: Dashboard | undefined;
  let control: RemoteControl | undefined;
  try {
    control = await RemoteControl.open(client, () => finish());
  } catch (error) {
    // A devrun from before attach answers its ops and topics "unknown".
    if (!(error instanceof ControlError && error.code === 'bad-request')) throw error;
    process.stderr.write(`devrun: the devrun running here (version ${client.server.devrun}) cannot be attached to: ${error.message}\n`);
    return 1;
  }
  // Loaded only here, as for `devrun start`: the other verbs never load Ink or React.
  const { runDashboard } = await import('../tui.js');
  dashboard = runDashboard(control, { terminalGone: () => hangUp(client, dashboard), attached: true, mouse });
  void client.ended.then(() => finish('the devrun you were attached to ended'));
  return done;
}

/**
 * The terminal failed (EIO): stop drawing, drop the connection, and end by SIGHUP as a hung-up process
 * does (process.exit would try to restore the dead terminal's modes; see cli.ts).
 */
function hangUp(client: ControlClient, dashboard: Dashboard | undefined): void {
  dashboard?.abandon();
  client.close();
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}
