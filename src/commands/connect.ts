import { setTimeout as delay } from 'node:timers/promises';
import { type ControlClient, ControlError } from '../control/client.js';
import { MAX_WRITE_BYTES } from '../control/protocol.js';
import type { ProcessStatusReport, TerminalSize } from '../control/target.js';

/** Ctrl-]: detaches, as in telnet and docker attach. */
const DETACH = 0x1d;
/** How long detaching waits for the terminal's old size to be given back. */
const GIVE_BACK_MS = 2000;
/** How long connecting waits for the process's state before it goes on (a devrun that never sends it). */
const STATE_WAIT_MS = 5000;
/** States in which a process has a live run (its terminal is there). */
const LIVE = new Set(['starting', 'running', 'ready', 'stopping']);

/**
 * `devrun connect NAME`: the process's terminal alone, in this terminal. Raw mode; what is typed goes to
 * the process as bytes (`write`), its raw output comes back (`raw` subscription: the recent screen
 * first, then live), this terminal's size is its size (`resize`, now and on every SIGWINCH). Ctrl-]
 * detaches (0). When the process ends (0) or devrun does (3), one line says so. A process on pipes is
 * refused (1): it has no terminal to show. On the way out the process's terminal gets back the size
 * it had before, unless another client has sized it since (then that client's size stays: the size
 * rule of src/state/terminal-size.ts).
 */
export async function connectTerminal(client: ControlClient, name: string): Promise<number> {
  const { stdin, stdout, stderr } = process;
  let processName: string;
  let finished = false;
  /** Output that came before the connection was set up (and the banner printed). */
  let held: Buffer[] | undefined = [];
  const show = (bytes: Buffer) => {
    if (finished) return;
    if (held) held.push(bytes);
    else if (!stdout.write(bytes)) {
      client.pause();
      stdout.once('drain', () => client.resume());
    }
  };
  try {
    const subscribed = await client.subscribe({ topic: 'raw', name }, (event) => {
      if (typeof event.data === 'string') show(Buffer.from(event.data, 'base64'));
    });
    processName = (subscribed as { name: string }).name;
  } catch (error) {
    if (error instanceof ControlError && error.code === 'no-terminal') {
      stderr.write(`devrun: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });
  const raw = stdin.isTTY === true;
  /** The size the terminal had before this connection first sized it, and the size it last gave. */
  let found: TerminalSize | undefined;
  let given: TerminalSize | undefined;
  const giveBack = (): Promise<unknown> => {
    if (found === undefined || given === undefined) return Promise.resolve();
    const back = client.request('resize', { name: processName, ...found, ifSize: given }, { timeoutMs: GIVE_BACK_MS });
    return back.catch(() => {});
  };
  const finish = (code: number, message: string) => {
    if (finished) return;
    finished = true;
    stdin.off('data', onInput);
    stdout.off('resize', onResize);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    stderr.write(`\r\ndevrun: ${message}\n`);
    void giveBack().then(() => resolveDone(code));
  };
  const onInput = (chunk: Buffer) => {
    const at = chunk.indexOf(DETACH);
    const data = at === -1 ? chunk : chunk.subarray(0, at);
    for (let i = 0; i < data.length; i += MAX_WRITE_BYTES) {
      const part = data.subarray(i, i + MAX_WRITE_BYTES).toString('base64');
      client.request('write', { name: processName, data: part }).catch(() => {});
    }
    if (at !== -1) finish(0, `detached from ${processName}`);
  };
  const onResize = () => {
    if (finished || !stdout.columns || !stdout.rows) return;
    given = { columns: stdout.columns, rows: stdout.rows };
    client.request('resize', { name: processName, ...given }).then(
      // The first answer says what it was before (an older devrun does not say: nothing is given back).
      (answer) => {
        found ??= answer.previous;
      },
      () => {},
    );
  };

  let first = true;
  let firstState: () => void = () => {};
  const stateKnown = new Promise<void>((resolve) => {
    firstState = resolve;
  });
  await client.subscribe({ topic: 'state', names: [processName] }, (event) => {
    const state = event.process as ProcessStatusReport | undefined;
    if (state === undefined || state.name !== processName) return;
    const live = LIVE.has(state.state);
    if (first && !live) finish(1, `${processName} is not running (${state.state})`);
    else if (!live && state.state !== 'starting') finish(0, `${processName} ${ended(state)}`);
    first = false;
    firstState();
  });
  void client.ended.then(() => finish(3, `the devrun running ${processName} ended`));
  // The process's state first: input that ends at once (a pipe) must not win over "is not running".
  await Promise.race([stateKnown, client.ended, delay(STATE_WAIT_MS, undefined, { ref: false })]);
  if (finished) return done;

  if (stdout.isTTY === true) {
    onResize();
    stdout.on('resize', onResize);
  }
  if (raw) stdin.setRawMode(true);
  stdin.on('data', onInput);
  stdin.once('end', () => finish(0, `detached from ${processName} (end of input)`));
  stdin.resume();
  stderr.write(`devrun: connected to ${processName}; Ctrl-] detaches\r\n`);
  const early = held;
  held = undefined;
  if (early.length > 0) show(Buffer.concat(early));
  return done;
}

function ended(state: ProcessStatusReport): string {
  const exit = state.exit === null ? '' : state.exit.signal !== null ? ` (${state.exit.signal})` : ` (exit ${state.exit.code ?? '?'})`;
  return `${state.state}${exit}`;
}
