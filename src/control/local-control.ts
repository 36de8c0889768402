import type { Supervisor } from '../engine/supervisor.js';
import { allMatches, findMatch, logView, plainText, scrolledAnchor, visibleWindow } from './log-view.js';
import type { ControlEvent, ProcessCommand, ProcessControl } from './process-control.js';

/**
 * ProcessControl over the Supervisor in this process. Log requests are answered from the supervisor's
 * rings with the pure functions of log-view.ts, exactly as a server will answer a remote dashboard;
 * the answers are ready at once (resolved promises), so the local dashboard pays one microtask.
 */
export class LocalControl implements ProcessControl {
  private readonly listeners = new Set<(event: ControlEvent) => void>();
  private readonly detach: () => void;

  constructor(
    private readonly supervisor: Supervisor,
    /** Owned by whoever started the engine: the first call stops everything, the next kills. */
    private readonly onQuit: () => void,
  ) {
    this.detach = supervisor.subscribe((event) => {
      if (event.type === 'lines') {
        const { batch } = event;
        if (batch.count > 0) this.emit({ type: 'lines', proc: batch.proc, lastSeq: batch.lastSeq });
      } else this.emit(event);
    });
  }

  subscribe(listener: (event: ControlEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  processes = () => this.supervisor.processes();
  usage = () => this.supervisor.resourceUsage();
  shutdownProgress = () => this.supervisor.shutdownProgress();
  hasTerminal = (name: string) => this.supervisor.hasTerminal(name);

  window: ProcessControl['window'] = async (scope, anchorSeq, height) =>
    visibleWindow(logView(this.supervisor.logs, scope), anchorSeq, height);

  scroll: ProcessControl['scroll'] = async (scope, anchorSeq, delta, height) =>
    scrolledAnchor(logView(this.supervisor.logs, scope), anchorSeq, delta, height);

  findMatch: ProcessControl['findMatch'] = async (scope, query, from, direction, height) =>
    findMatch(logView(this.supervisor.logs, scope), from, query, direction, height);

  matches: ProcessControl['matches'] = async (scope, query) => {
    const seqs = allMatches(logView(this.supervisor.logs, scope), query);
    return { count: seqs.length, seqs };
  };

  text: ProcessControl['text'] = async (scope, fromSeq, toSeq) => plainText(logView(this.supervisor.logs, scope), fromSeq, toSeq);

  async command(command: ProcessCommand): Promise<void> {
    perform(this.supervisor, command);
  }

  rawOutput(name: string, listener: (chunk: Uint8Array) => void): () => void {
    listener(this.supervisor.rawOutput(name));
    return this.supervisor.onRaw(name, listener);
  }

  async quit(): Promise<void> {
    this.onQuit();
  }

  /** The dashboard in this process: stopping everything is what q does. */
  async stopAll(): Promise<void> {
    this.onQuit();
  }

  /** Stops forwarding the supervisor's events. */
  dispose(): void {
    this.detach();
    this.listeners.clear();
  }

  private emit(event: ControlEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Carries out a dashboard's command on the supervisor (for the local dashboard and attached ones). */
export function perform(supervisor: Supervisor, command: ProcessCommand): void {
  switch (command.type) {
    case 'start':
      return supervisor.start(command.name);
    case 'stop':
      return supervisor.stop(command.name);
    case 'restart':
      // r: the files are read again; a problem with them is said on the process, which restarts as it was.
      supervisor.restart(command.name);
      return;
    case 'kill':
      return supervisor.kill(command.name);
    case 'interrupt':
      return supervisor.interrupt(command.name);
    case 'restart-all':
      return supervisor.restartAll();
    case 'reload':
      // Its summary, or why nothing was applied, is a line of devrun's that every dashboard shows.
      supervisor.reload();
      return;
    case 'send-line':
      return supervisor.sendLine(command.name, command.text);
    case 'write':
      return supervisor.write(command.name, command.data);
    case 'resize':
      return supervisor.resize(command.columns, command.rows, command.except);
    case 'resize-one':
      return supervisor.resizeOne(command.name, command.columns, command.rows);
    case 'clear-logs':
      // The supervisor tells every subscriber (`cleared`): this dashboard and any attached one.
      return supervisor.clearLogs(command.name);
  }
}
