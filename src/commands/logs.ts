import type { VerbOptions } from '../config/options.js';
import type { ControlClient } from '../control/client.js';
import type { JsonObject } from '../control/protocol.js';
import type { LogLineReport } from '../control/target.js';
import { colorWanted, LineFormatter } from '../headless.js';

/** Lines printed by `devrun logs` without -n, as `tail`; none before following with -f. */
const DEFAULT_LINES = 10;
/** Exit status after Ctrl-C, as a shell reports a job ended by SIGINT. */
const INTERRUPTED = 130;

/**
 * `devrun logs [NAMES] [-n N] [-f]`: the running devrun's last N lines, then (with -f) its new lines as
 * they come, merged and prefixed as the headless output is. Following subscribes before asking for the
 * last lines and drops the events those lines already cover (by seq), so nothing is printed twice or
 * lost in between. A slow stdout pauses the socket: devrun's queue drops what does not fit and a
 * `skipped` line says how much. Ctrl-C (130), a closed stdout (0) or devrun ending (0) ends it.
 */
export async function followLogs(client: ControlClient, options: VerbOptions): Promise<number> {
  const names = options.names.length > 0 ? options.names : undefined;
  const last = options.lines ?? (options.follow ? 0 : DEFAULT_LINES);
  const report = await client.request('status');
  const out = process.stdout;
  const formatter = new LineFormatter(
    report.processes.map((p, index) => ({ name: p.name, index })),
    { color: colorWanted(out.isTTY === true, process.env), timestamps: true },
  );
  let closed = false;
  let shownSeq = 0;
  const write = (text: string) => {
    if (closed || text === '' || out.write(text)) return;
    client.pause();
    out.once('drain', () => client.resume());
  };
  const show = (event: JsonObject) => {
    if (typeof event.skipped === 'number') {
      write(formatter.format({ ts: Date.now(), proc: 'devrun', text: `… ${event.skipped} lines skipped: this reader fell behind` }));
      return;
    }
    if (!Array.isArray(event.lines)) return;
    let text = '';
    for (const line of event.lines as LogLineReport[]) {
      if (line.seq <= shownSeq) continue;
      shownSeq = line.seq;
      text += formatter.format(line);
    }
    write(text);
  };

  let early: JsonObject[] | undefined = [];
  if (options.follow) {
    await client.subscribe(names === undefined ? { topic: 'logs' } : { topic: 'logs', names }, (event) => {
      if (early) early.push(event);
      else show(event);
    });
  }
  if (last > 0) {
    const answer = await client.request('lines', names === undefined ? { last } : { names, last });
    show({ lines: answer.lines });
  }
  const buffered = early;
  early = undefined;
  for (const event of buffered) show(event);
  if (!options.follow) return 0;

  return new Promise<number>((resolve) => {
    const onInterrupt = () => end(INTERRUPTED);
    const onError = () => end(0);
    const end = (code: number) => {
      closed = true;
      process.off('SIGINT', onInterrupt);
      out.off('error', onError);
      resolve(code);
    };
    process.once('SIGINT', onInterrupt);
    // EPIPE: the reader went away (`devrun logs -f | head`).
    out.once('error', onError);
    void client.ended.then(() => {
      if (closed) return;
      process.stderr.write('devrun: the devrun ended\n');
      end(0);
    });
  });
}
