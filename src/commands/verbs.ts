import type { VerbOptions } from '../config/options.js';
import { ControlClient } from '../control/client.js';
import { findInstance } from '../control/find-instance.js';
import { describeUnknown, type Resolution } from '../control/names.js';
import type { StatusReport } from '../control/target.js';
import { formatStatus } from './status-text.js';

/** Exit codes of the verbs: 0 done, 1 unknown process, 2 usage (from the parser), 3 no devrun runs here. */
const UNKNOWN_PROCESS = 1;
const NOT_RUNNING = 3;
const CONNECT_TIMEOUT_MS = 3000;
/** `stop` returns once the supervisor's pid is gone; this long at most after it answered. */
const EXIT_WAIT_MS = 30_000;

/** `devrun status|restart|stop|kill|send`: one request to the devrun that runs for this project. */
export async function verb(options: VerbOptions): Promise<number> {
  const found = findInstance({ cwd: process.cwd(), procfile: options.procfile });
  if (!found.ok) {
    process.stderr.write(`devrun: ${found.reason}\n`);
    return NOT_RUNNING;
  }
  let client: ControlClient;
  try {
    client = await ControlClient.connect(found.instance.socket, { timeoutMs: CONNECT_TIMEOUT_MS });
  } catch (error) {
    process.stderr.write(`devrun: ${(error as Error).message}\n`);
    return NOT_RUNNING;
  }
  try {
    return await perform(client, options, found.instance.pid);
  } finally {
    client.close();
  }
}

async function perform(client: ControlClient, options: VerbOptions, pid: number): Promise<number> {
  if (options.verb === 'status') {
    const report = (await client.request('status', {})) as StatusReport;
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatStatus(report, Date.now()));
    return 0;
  }
  if (options.verb === 'stop' && options.names.length === 0) {
    await client.request('shutdown', {});
    await waitGone(pid);
    return 0;
  }
  const resolution = (await client.request('resolve', { names: options.names })) as Resolution;
  if ('unknown' in resolution) {
    process.stderr.write(`devrun: ${describeUnknown(resolution)}\n`);
    return UNKNOWN_PROCESS;
  }
  if (options.verb === 'send') {
    await client.request('send', { name: resolution.names[0], text: options.text });
    return 0;
  }
  // No NAMES (restart, stop of a few is never empty here): every process.
  const names =
    options.names.length > 0 ? resolution.names : ((await client.request('status', {})) as StatusReport).processes.map((p) => p.name);
  await client.request(options.verb, { names });
  return 0;
}

/** Polls until `pid` no longer exists (or is a zombie), so `devrun stop` returns after the supervisor is gone. */
async function waitGone(pid: number): Promise<void> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
