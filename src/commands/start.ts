import { randomUUID } from 'node:crypto';
import isInCi from 'is-in-ci';
import { loadProject, type Project, selectProcesses, shown } from '../config/load-project.js';
import { logFilesDir } from '../config/log-files.js';
import { START_WAIT_SECONDS, type StartOptions } from '../config/options.js';
import { reloadProject, withRunSettings } from '../config/run-specs.js';
import { DEFAULT_STOP_TIMEOUT_SECONDS } from '../config/settings/run-settings.js';
import type { ProcessSpec } from '../config/types.js';
import { ControlClient } from '../control/client.js';
import { type InstanceKey, instanceKey } from '../control/instance-key.js';
import { LocalControl } from '../control/local-control.js';
import { localTarget } from '../control/local-target.js';
import { type InstanceRecord, listInstances } from '../control/registry.js';
import { serveControl } from '../control/serve.js';
import { acquireInstanceLock } from '../engine/instance-lock.js';
import { LogStore } from '../engine/log-store.js';
import { PidFile, recordGroups } from '../engine/pidfile.js';
import { pipeRunner } from '../engine/pipe-runner.js';
import { loadPtyRunner } from '../engine/pty-runner.js';
import { defaultRestartPolicy } from '../engine/restart-policy.js';
import { RunLifecycle, type RunOutcome, type StopCause } from '../engine/run-lifecycle.js';
import type { Runner } from '../engine/runner.js';
import { Supervisor } from '../engine/supervisor.js';
import { colorWanted, HeadlessPrinter } from '../headless.js';
import type { Dashboard } from '../tui.js';
import { attachDashboard } from './attach.js';
import { detach, tellForeground } from './detach.js';
import { printDiagnostics } from './diagnostics.js';
import { reportRun } from './exit-summary.js';
import { unknownNameHint } from './name-hint.js';
import { claimProject } from './previous-run.js';
import { openLogFiles } from './start-log-files.js';
import { verb } from './verbs.js';

const HEADLESS_SCROLLBACK = 1000;

/** How `devrun start` ended: the exit code, and whether the terminal hung up (then devrun ends by SIGHUP). */
export interface StartResult {
  code: number;
  hungUp: boolean;
}

/** `devrun [start] [NAMES...]`: resolves once every process is gone. */
export async function start(options: StartOptions): Promise<StartResult> {
  const refused = (code: number) => ({ code, hungUp: false });
  const loaded = loadProject(options, process.env);
  if (!loaded.ok) return refused(printDiagnostics(loaded.diagnostics));
  const specs = pickSpecs(loaded.project, options);
  if (!specs) return refused(1);

  const key = instanceKey(loaded.project.root, loaded.project.procfile);
  if (!options.detachedChild && (await instanceRuns(key))) {
    // `devrun start web` while this instance runs: start those processes in it.
    if (options.names.length > 0) return refused(await startInRunning(key, options.names));
    // Plain `devrun` in a terminal: watch the one that runs. With run flags it is refused below.
    if (!options.runFlags && process.stdout.isTTY === true && process.stdin.isTTY === true)
      return refused(await attachRunning(key, options.mouse));
  }
  if (options.detach && !options.detachedChild) {
    // Refused here, in one line, when it already runs; the background supervisor checks again.
    const lock = await acquireInstanceLock(key.id);
    if (lock.kind === 'held') {
      process.stderr.write(`devrun: already running in ${loaded.project.root}; stop it first\n`);
      return refused(1);
    }
    if (lock.kind === 'acquired') lock.release();
    const detached = await detach(loaded.project.root, key.id);
    if (detached !== 0 || !options.wait) return refused(detached);
    // --wait: as `devrun wait NAMES` against the run just started.
    const waitFor = {
      verb: 'wait',
      names: options.names,
      waitSeconds: START_WAIT_SECONDS,
      since: undefined,
      lines: undefined,
      follow: false,
      json: false,
      text: '',
    } as const;
    return refused(await verb({ ...options, ...waitFor, command: 'verb' }));
  }
  const pidFile = new PidFile(loaded.project.root, key.id, (warning) => process.stderr.write(`devrun: ${warning}\n`));
  const timeoutMs = (options.timeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS) * 1000;
  const claim = await claimProject(pidFile, { timeoutMs, keepEscaped: options.keepEscaped });
  if (!claim.ok) {
    if (options.detachedChild) tellForeground(`error ${claim.reason}`);
    process.stderr.write(`devrun: ${claim.reason}\n`);
    return refused(1);
  }
  try {
    const outcome = await runProcesses({ project: loaded.project, specs, options, pidFile, key });
    return { code: outcome.exitCode, hungUp: outcome.hungUp };
  } finally {
    claim.release();
  }
}

/** The processes to run, or undefined after saying why there are none. */
function pickSpecs(project: Project, options: StartOptions): ProcessSpec[] | undefined {
  const { specs, unknown, disabled } = selectProcesses(project, options.names);
  const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
  if (unknown.length > 0) {
    process.stderr.write(`devrun: ${shown(project.procfile)}: ${unknownNameHint(unknown[0]!, project.specs, project.entries)}\n`);
    return undefined;
  }
  if (disabled.length > 0) {
    process.stderr.write(`devrun: ${quoted(disabled)} turned off by --formation ${options.formation}\n`);
    return undefined;
  }
  if (specs.length === 0) {
    process.stderr.write(`devrun: nothing to run (the formation "${options.formation}" starts no process)\n`);
    return undefined;
  }
  return withRunSettings(project, specs, options);
}

/** Why a hang-up seen as the terminal failing (EIO) is told apart from a SIGHUP. */
const TERMINAL_CLOSED = 'terminal closed';

interface Run {
  project: Project;
  specs: ProcessSpec[];
  options: StartOptions;
  pidFile: PidFile;
  key: InstanceKey;
}

async function runProcesses({ project, specs, options, pidFile, key }: Run): Promise<RunOutcome> {
  const background = options.detachedChild;
  // Ink renders only the last frame under CI, so a terminal in CI gets the headless output too.
  // TERM=dumb cannot draw a dashboard (no cursor movement): the headless output, and one line saying so.
  const dumb = process.env.TERM === 'dumb';
  const wantsTui = !background && options.tui && process.stdout.isTTY === true && process.stdin.isTTY === true && !isInCi;
  if (wantsTui && dumb) process.stderr.write('devrun: TERM=dumb: plain merged output instead of the dashboard\n');
  const tui = wantsTui && !dumb;
  const runId = randomUUID();
  const startedAt = Date.now();
  const supervisor = await createSupervisor(project, specs, options, { runId, tui, background });
  const logFiles = openLogFiles(supervisor, project, options, runId);
  let output: Output | undefined;
  const lifecycle = new RunLifecycle(supervisor, {
    signals: process,
    // A dashboard, or a background run: it stays until someone stops it, even once every process ended.
    waitForStop: tui || background,
    // A terminal that failed (EIO) is gone: stop drawing on it and never touch it again. On a SIGHUP it
    // may still be there (kill -HUP by hand): give it back as on q, which fails harmlessly when it is not,
    // at once (no wait for a last answer from a terminal that is most likely gone).
    onStop: (cause) => {
      if (cause.kind === 'hangup') cause.why === TERMINAL_CLOSED ? output?.dashboard?.abandon() : void output?.dashboard?.close(true);
    },
  });
  output = await attachOutput(supervisor, options, tui, (cause) => lifecycle.requestStop(cause));
  let crashed = false;
  const onCrash = (error: unknown) => {
    if (!crashed) {
      // The screen first, so the message lands on the user's terminal, not on the alternate screen.
      void output?.dashboard?.close(true);
      process.stderr.write(`devrun: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    crashed = true;
    lifecycle.requestStop({ kind: 'internal-error', error });
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const recording = recordGroups(pidFile, supervisor, runId);
  const shutdown = async () => {
    lifecycle.requestStop({ kind: 'user', why: 'stop requested (devrun stop)' });
    await lifecycle.outcome;
  };
  const target = localTarget({ supervisor, shutdown, root: project.root, procfile: project.procfile, startedAt, logDir: logFiles?.dir });
  const serving = await serveControl(target, key, (warning) => process.stderr.write(`devrun: ${warning}\n`));
  const running = lifecycle.run();
  if (background) tellForeground('ready');
  const outcome = await running;
  await serving.close();
  recording.stop();
  await logFiles?.close();
  output.printer?.flush();
  await output.dashboard?.close();
  reportRun({
    runId,
    startedAt,
    outcome,
    endedAt: Date.now(),
    pid: process.pid,
    root: key.root,
    procfile: key.procfile,
    mode: tui ? 'dashboard' : background ? 'background' : 'headless',
    policyOf: (name) => {
      const run = (supervisor.specOf(name) ?? specs.find((s) => s.name === name))?.run;
      return { mode: run?.restart ?? defaultRestartPolicy.mode, maxRestarts: run?.maxRestarts ?? defaultRestartPolicy.maxRestarts };
    },
    logs: supervisor.logs,
    logDir: logFilesDir(key.root, key.procfile, options),
  });
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  return outcome;
}

async function createSupervisor(
  project: Project,
  specs: ProcessSpec[],
  options: StartOptions,
  run: { runId: string; tui: boolean; background: boolean },
): Promise<Supervisor> {
  // A background run has no terminal of its own but uses terminals for its processes, unless --no-pty.
  const { runner, terminal } = await chooseRunner(options.pty ?? (run.background || process.stdout.isTTY === true));
  return new Supervisor({
    specs,
    runner,
    terminal,
    env: project.env,
    cwd: project.root,
    runId: run.runId,
    // Each process's own restart mode and stop come with its spec (pickSpecs); these are the run's.
    policy: defaultRestartPolicy,
    stopTimeoutMs: (options.timeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS) * 1000,
    stopEscapees: !options.keepEscaped,
    portHints: true,
    // r and `devrun reload` read the files again, with the same flags (a flag still beats the file).
    reload: () => reloadProject(options, process.env),
    // Scrollback is for the dashboard; headless output keeps only a little (nobody scrolls it back).
    logs: new LogStore({ capacity: run.tui ? options.scrollback : Math.min(options.scrollback, HEADLESS_SCROLLBACK) }),
  });
}

interface Output {
  dashboard?: Dashboard;
  printer?: HeadlessPrinter;
}

/** The dashboard, or foreman-style merged output; both turn what happens to the terminal into stop requests. */
async function attachOutput(
  supervisor: Supervisor,
  options: StartOptions,
  tui: boolean,
  stop: (cause: StopCause) => void,
): Promise<Output> {
  if (tui) {
    // Loaded only here: headless runs never load Ink, React or the terminal emulator.
    const { runDashboard } = await import('../tui.js');
    // The dashboard sees the run only through ProcessControl; here, the supervisor in this process.
    const control = new LocalControl(supervisor, () => stop({ kind: 'user', why: 'quit requested' }));
    const dashboard = runDashboard(control, {
      terminalGone: () => stop({ kind: 'hangup', why: TERMINAL_CLOSED }),
      bell: options.bell,
      mouse: options.mouse,
    });
    return { dashboard };
  }
  const printer = new HeadlessPrinter(supervisor, {
    color: options.color ?? colorWanted(process.stdout.isTTY === true, process.env),
    timestamps: options.timestamps,
    out: process.stdout,
    // A terminal that fails is a hang-up; a pipe whose reader left is foreman's SIGPIPE: stop and leave.
    onClosed: () => stop(process.stdout.isTTY ? { kind: 'hangup', why: TERMINAL_CLOSED } : { kind: 'output-closed' }),
  });
  return { printer };
}

/** The PTY runner unless --no-pty; pipes, with a one-line notice, where node-pty cannot load. */
async function chooseRunner(wanted: boolean): Promise<{ runner: Runner; terminal: boolean }> {
  if (!wanted) return { runner: pipeRunner, terminal: false };
  const loaded = await loadPtyRunner();
  if ('runner' in loaded) return { runner: loaded.runner, terminal: true };
  process.stderr.write(`devrun: no terminals for processes here (${loaded.error}); using pipes\n`);
  return { runner: pipeRunner, terminal: false };
}

/** True when a devrun holds this instance's lock. */
async function instanceRuns(key: InstanceKey): Promise<boolean> {
  const lock = await acquireInstanceLock(key.id);
  if (lock.kind === 'acquired') lock.release();
  return lock.kind === 'held';
}

/** Sends `start NAMES` to the running devrun of this instance: 0, or 1 with its reason. */
async function startInRunning(key: InstanceKey, names: string[]): Promise<number> {
  const record = runningRecord(key);
  if (!record) return 1;
  try {
    const client = await ControlClient.connect(record.socket);
    try {
      const { names: started } = await client.request('start', { names });
      process.stdout.write(`devrun: started ${started.join(', ')} in the devrun running here (pid ${record.pid})\n`);
      return 0;
    } finally {
      client.close();
    }
  } catch (error) {
    process.stderr.write(`devrun: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Plain `devrun` while this instance runs: says so in one line, then attaches its dashboard. */
async function attachRunning(key: InstanceKey, mouse: boolean): Promise<number> {
  const record = runningRecord(key);
  if (!record) return 1;
  process.stderr.write(`devrun: already running here (pid ${record.pid}): attaching; q detaches\n`);
  try {
    return await attachDashboard(await ControlClient.connect(record.socket), { mouse });
  } catch (error) {
    process.stderr.write(`devrun: ${(error as Error).message}\n`);
    return 1;
  }
}

/** The registry record of the devrun that holds this instance's lock, or undefined after saying why not. */
function runningRecord(key: InstanceKey): InstanceRecord | undefined {
  const record = listInstances(key.root).find((r) => r.id === key.id);
  if (!record) process.stderr.write(`devrun: already running in ${key.root}, but its control socket cannot be found; stop it first\n`);
  return record;
}
