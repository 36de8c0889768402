import { join } from 'node:path';
import type { LineBatch } from '../line-batch.js';
import type { Supervisor } from '../supervisor.js';
import { LogFileFormatter, runHeader } from './line-format.js';
import { RotatingFile } from './rotating-file.js';

export interface LogFilesOptions {
  /** Absolute folder of the files: `NAME.log` for each process, and `devrun.log` for devrun's own lines. */
  dir: string;
  maxBytes: number;
  keep: number;
  /** Keep colour codes (--log-colors). */
  colors: boolean;
  version: string;
  runId: string;
  /** The one warning when files cannot be written (a full disk, a folder that cannot be made). */
  warn(text: string): void;
}

/**
 * Every process's output in its own file, as the supervisor emits it: one RotatingFile per process
 * name, opened on the process's first line, which is preceded by the run's header. The first write
 * error stops every file (one warning, then devrun runs on without them).
 */
export class LogFiles {
  private readonly files = new Map<string, RotatingFile>();
  private readonly formatter: LogFileFormatter;
  private readonly header: string;
  private readonly unsubscribe: () => void;
  private failed = false;

  constructor(
    supervisor: Pick<Supervisor, 'subscribe'>,
    private readonly options: LogFilesOptions,
  ) {
    this.formatter = new LogFileFormatter({ colors: options.colors });
    this.header = runHeader(options.version, options.runId, this.formatter.timestamp(Date.now()));
    this.unsubscribe = supervisor.subscribe((event) => {
      if (event.type === 'lines' && !this.failed) this.write(event.batch);
    });
  }

  get dir(): string {
    return this.options.dir;
  }

  /** Writes what is buffered and closes every file; later lines are not written. */
  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.all([...this.files.values()].map((file) => file.close()));
  }

  /** A batch holds the lines of one process and one stream at one time: one lookup, one prefix. */
  private write(batch: LineBatch): void {
    const file = this.file(batch.proc);
    if (file.accepting) this.formatter.formatBatch(batch, file);
    else file.dropLines(batch.count);
  }

  private file(proc: string): RotatingFile {
    let file = this.files.get(proc);
    if (!file) {
      file = new RotatingFile(join(this.options.dir, `${proc}.log`), {
        maxBytes: this.options.maxBytes,
        keep: this.options.keep,
        onError: (error) => this.fail(error),
      });
      file.append(this.header);
      this.files.set(proc, file);
    }
    return file;
  }

  private fail(error: NodeJS.ErrnoException): void {
    if (this.failed) return;
    this.failed = true;
    const where = error.path ?? this.options.dir;
    // Later, not inside the supervisor's event (the warning is itself a line it emits).
    setImmediate(() => this.options.warn(`cannot write log files (${error.code ?? error.message}: ${where}); going on without them`));
    void this.close();
  }
}
