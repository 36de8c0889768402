import { randomUUID } from 'node:crypto';
import isInCi from 'is-in-ci';
import { loadProject, selectProcesses } from '../config/load-project.js';
import type { StartOptions } from '../config/options.js';
import { finalExitCode } from '../engine/exit-code.js';
import { LogStore } from '../engine/log-store.js';
import { PidFile, recordGroups } from '../engine/pidfile.js';
import { pipeRunner } from '../engine/pipe-runner.js';
import { loadPtyRunner } from '../engine/pty-runner.js';
import { defaultRestartPolicy } from '../engine/restart-policy.js';
import type { Runner } from '../engine/runner.js';
import { Supervisor } from '../engine/supervisor.js';
import { colorWanted, HeadlessPrinter } from '../headless.js';
import type { Dashboard } from '../tui.js';
import { printDiagnostics } from './diagnostics.js';
import { settlePreviousRun } from './previous-run.js';

const INTERNAL_ERROR_EXIT = 70;
const HEADLESS_SCROLLBACK = 1000;

/** `devrun [start] [NAMES...]`: resolves with devrun's exit code once every process is gone. */
export async function start(options: StartOptions): Promise<number> {
  const loaded = loadProject(options, process.env);
  if (!loaded.ok) return printDiagnostics(loaded.diagnostics);
  const { project } = loaded;
  const { specs, unknown, disabled } = selectProcesses(project, options.names);
  const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
  if (unknown.length > 0) {
    process.stderr.write(`devrun: ${project.procfile}: no entry named ${quoted(unknown)}\n`);
    return 1;
  }
  if (disabled.length > 0) {
    process.stderr.write(`devrun: ${quoted(disabled)} turned off by --formation ${options.formation}\n`);
    return 1;
  }
  if (specs.length === 0) {
    process.stderr.write(`devrun: nothing to run (the formation "${options.formation}" starts no process)\n`);
    return 1;
  }

  const pidFile = new PidFile(project.root, (warning) => process.stderr.write(`devrun: ${warning}\n`));
  const refusal = await settlePreviousRun(pidFile, options.timeoutSeconds * 1000);
  if (refusal) {
    process.stderr.write(`devrun: ${refusal}\n`);
    return 1;
  }

  // Ink renders only the last frame under CI, so a terminal in CI gets the headless output too.
  const tui = options.tui && process.stdout.isTTY === true && process.stdin.isTTY === true && !isInCi;
  const { runner, terminal } = await chooseRunner(options.pty ?? process.stdout.isTTY === true);
  const runId = randomUUID();
  const supervisor = new Supervisor({
    specs,
    runner,
    terminal,
    env: project.env,
    cwd: project.root,
    runId,
    policy: { ...defaultRestartPolicy, mode: options.restart, maxRestarts: options.maxRestarts },
    stopTimeoutMs: options.timeoutSeconds * 1000,
    // Scrollback is for the dashboard; headless output keeps only a little (nobody scrolls it back).
    logs: new LogStore({ capacity: tui ? options.scrollback : Math.min(options.scrollback, HEADLESS_SCROLLBACK) }),
  });
  let stoppedBy: NodeJS.Signals | undefined;
  let internalError = false;
  /** The first request stops everything gracefully; any later one (a second Ctrl-C or q) kills at once. */
  const requestStop = (why: string, signal?: NodeJS.Signals) => {
    if (supervisor.isShuttingDown) {
      supervisor.note(`${why} again: killing every process now`);
      void supervisor.killAll().then(checkEnded);
      return;
    }
    stoppedBy = signal;
    supervisor.note(`${why}, stopping all processes`);
    void supervisor.stopAll().then(checkEnded);
  };

  let dashboard: Dashboard | undefined;
  let printer: HeadlessPrinter | undefined;
  if (tui) {
    // Loaded only here: headless runs never load Ink, React or the terminal emulator.
    const { runDashboard } = await import('../tui.js');
    dashboard = runDashboard(
      supervisor,
      () => requestStop('quit requested'),
      () => requestStop('terminal closed', 'SIGHUP'),
    );
  } else {
    printer = new HeadlessPrinter(supervisor, {
      color: options.color ?? colorWanted(process.stdout.isTTY === true, process.env),
      timestamps: options.timestamps,
      out: process.stdout,
      // Like foreman under SIGPIPE: with no one reading, stop everything and leave.
      onClosed: () => requestStop('output closed'),
    });
  }

  const onSignal = (signal: NodeJS.Signals) => requestStop(`${signal} received`, signal);
  const onCrash = (error: unknown) => {
    if (internalError) return;
    internalError = true;
    dashboard?.close();
    process.stderr.write(`devrun: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    void supervisor.stopAll().then(checkEnded);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const recording = recordGroups(pidFile, supervisor, runId);
  let endedNow = () => {};
  const ended = new Promise<void>((resolve) => (endedNow = resolve));
  // Headless ends when every process has; the dashboard stays until the user quits.
  function checkEnded() {
    if (supervisor.allEnded() && (!tui || supervisor.isShuttingDown)) endedNow();
  }
  supervisor.subscribe((event) => {
    if (event.type === 'state') checkEnded();
  });
  supervisor.startAll();
  await ended;

  recording.stop();
  for (const signal of signals) process.off(signal, onSignal);
  printer?.flush();
  dashboard?.close();
  if (internalError) return INTERNAL_ERROR_EXIT;
  return finalExitCode(supervisor.processes(), stoppedBy);
}

/** The PTY runner unless --no-pty; pipes, with a one-line notice, where node-pty cannot load. */
async function chooseRunner(wanted: boolean): Promise<{ runner: Runner; terminal: boolean }> {
  if (!wanted) return { runner: pipeRunner, terminal: false };
  const loaded = await loadPtyRunner();
  if ('runner' in loaded) return { runner: loaded.runner, terminal: true };
  process.stderr.write(`devrun: no terminals for processes here (${loaded.error}); using pipes\n`);
  return { runner: pipeRunner, terminal: false };
}
