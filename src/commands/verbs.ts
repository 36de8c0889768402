import type { VerbOptions } from '../config/options.js';
import { ControlClient, ControlError } from '../control/client.js';
import { findInstance } from '../control/find-instance.js';
import { type InstanceRecord, isInstanceAlive } from '../control/registry.js';
import { attachDashboard } from './attach.js';
import { connectTerminal } from './connect.js';
import { showStoppedRun } from './exit-summary.js';
import { followLogs } from './logs.js';
import { logsFromFiles } from './logs-from-files.js';
import { formatStatus } from './status-text.js';
import { waitUntilUp } from './wait.js';

/** Exit codes of the verbs: 0 done, 1 unknown process, 2 usage (from the parser), 3 no devrun runs here. */
const UNKNOWN_PROCESS = 1;
const NOT_RUNNING = 3;
/** restart: the files edited since do not parse (the processes restarted with the settings they had). */
const EDIT_REFUSED = 1;
const CONNECT_TIMEOUT_MS = 3000;
/** `stop` returns once the supervisor's pid is gone: this long at most after it answered. */
const EXIT_WAIT_MS = 10_000;

/** `devrun status|restart|reload|stop|kill|send|logs|connect|attach|wait`: one request (or a stream) to the devrun that runs for this project. */
export async function verb(options: VerbOptions): Promise<number> {
  const found = findInstance({ cwd: process.cwd(), procfile: options.procfile });
  if (!found.ok) {
    // With no devrun running, the log files still hold what the last runs printed.
    if (options.verb === 'logs') return logsFromFiles(options, found.reason);
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
    return await perform(client, options, found.instance);
  } catch (error) {
    process.stderr.write(`devrun: ${(error as Error).message}\n`);
    return error instanceof ControlError && error.code === 'unknown-process' ? UNKNOWN_PROCESS : NOT_RUNNING;
  } finally {
    client.close();
  }
}

async function perform(client: ControlClient, options: VerbOptions, instance: InstanceRecord): Promise<number> {
  switch (options.verb) {
    case 'status': {
      const report = await client.request('status');
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatStatus(report, Date.now()));
      return 0;
    }
    case 'send':
      await client.request('send', { name: options.names[0]!, text: options.text });
      return 0;
    case 'logs':
      return followLogs(client, options);
    case 'connect':
      return connectTerminal(client, options.names[0]!);
    case 'attach':
      return attachDashboard(client, { mouse: options.mouse });
    case 'wait':
      return waitUntilUp(client, options.names, options.waitSeconds);
    case 'reload':
      return reload(client);
    case 'stop':
      if (options.names.length > 0) break;
      await shutdown(client);
      await waitGone(instance);
      showStoppedRun(instance.root, instance.pid);
      return 0;
  }
  // restart with no NAMES: every process.
  const names = options.names.length > 0 ? options.names : (await client.request('status')).processes.map((p) => p.name);
  const result = await client.request(options.verb, { names });
  if ('reloadError' in result && result.reloadError !== undefined) {
    // Restarted all the same, with the settings they had: the edit is refused, and the exit says so.
    process.stderr.write(`devrun: ${result.reloadError}; restarted ${result.names.join(', ')} with the settings they had\n`);
    return EDIT_REFUSED;
  }
  return 0;
}

/** `devrun reload`: the summary on stdout; why nothing was applied (file and line) on stderr, exit 1. */
async function reload(client: ControlClient): Promise<number> {
  try {
    process.stdout.write(`devrun: ${(await client.request('reload')).summary}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ControlError && error.code === 'invalid-config')) throw error;
    process.stderr.write(`devrun: reload: ${error.message}; nothing applied\n`);
    return EDIT_REFUSED;
  }
}

/** devrun may close the connection as it exits, before its answer arrives: that is a stop too. */
async function shutdown(client: ControlClient): Promise<void> {
  try {
    await client.request('shutdown');
  } catch (error) {
    if (!(error instanceof ControlError && error.code === 'closed')) throw error;
  }
}

/** Polls until the supervisor's pid has gone, so `devrun stop` returns when nothing of the run is left. */
async function waitGone(instance: InstanceRecord): Promise<void> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  while (isInstanceAlive(instance) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
