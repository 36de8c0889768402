import type { VerbOptions } from '../config/options.js';
import type { ControlClient } from '../control/client.js';
import { type JsonObject, MAX_LAST_LINES } from '../control/protocol.js';
import type { LogLineReport } from '../control/target.js';
import { olderFromFiles, procsWithFiles } from './logs-from-files.js';
import { asFileLine, historyRange, INTERRUPTED, LogsOutput } from './logs-output.js';

/**
 * `devrun logs [NAMES] [-n N] [-f] [--since T]` while a devrun runs: history, then (with -f) its new
 * lines as they come, merged and prefixed as the headless output is.
 *
 * History: devrun's rings hold the newest lines (everything after their oldest); the log files hold
 * what is older. So the rings are asked first, and the files are read only for lines before the
 * rings' oldest (when -n or --since reach that far back and the run writes files); at that one
 * moment in time, file lines the rings also hold are left out.
 *
 * Following subscribes before asking for the last lines and drops the events those lines already
 * cover (by seq), so nothing is printed twice or lost in between. A slow stdout pauses the socket:
 * devrun's queue drops what does not fit and a `skipped` line says how much. Ctrl-C (130), a closed
 * stdout (0) or devrun ending (0) ends it.
 */
export async function followLogs(client: ControlClient, options: VerbOptions): Promise<number> {
  const names = options.names.length > 0 ? options.names : undefined;
  const range = historyRange(options, Date.now());
  const report = await client.request('status');
  const output = new LogsOutput(
    report.processes.map((p) => p.name),
    client,
  );
  let shownSeq = 0;
  const show = (event: JsonObject) => {
    if (typeof event.skipped === 'number') {
      output.note(`… ${event.skipped} lines skipped: this reader fell behind`);
      return;
    }
    if (!Array.isArray(event.lines)) return;
    const fresh = (event.lines as LogLineReport[]).filter((line) => line.seq > shownSeq);
    shownSeq = fresh.at(-1)?.seq ?? shownSeq;
    output.print(fresh.map(asFileLine));
  };

  let early: JsonObject[] | undefined = [];
  if (options.follow) {
    await client.subscribe(names === undefined ? { topic: 'logs' } : { topic: 'logs', names }, (event) => {
      if (early) early.push(event);
      else show(event);
    });
  }
  if (range.last > 0) {
    const last = Math.min(range.last, MAX_LAST_LINES);
    const { lines: ring } = await client.request('lines', names === undefined ? { last } : { names, last });
    const dir = report.logDir ?? undefined;
    const older = dir === undefined ? [] : olderFromFiles(dir, procsWithFiles(dir, names), ring, range);
    const merged = [...older, ...ring.map(asFileLine)].filter((line) => line.ts >= range.from);
    output.print(Number.isFinite(range.last) ? merged.slice(-range.last) : merged);
    shownSeq = ring.at(-1)?.seq ?? 0;
  }
  const buffered = early;
  early = undefined;
  for (const event of buffered) show(event);
  if (!options.follow) return 0;
  const why = await output.until(client.ended);
  if (why === 'ended') process.stderr.write('devrun: the devrun ended\n');
  return why === 'interrupted' ? INTERRUPTED : 0;
}
