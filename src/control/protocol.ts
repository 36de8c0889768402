/**
 * The control protocol: how `devrun status`, `devrun restart web`, `devrun stop`... in another terminal
 * talk to a running devrun over its unix socket (mode 0600: only its user can connect). This comment is
 * the protocol's documentation; the code below implements all of it that both sides share.
 *
 * Framing
 * - Newline-delimited JSON: one message per line, UTF-8, every message a JSON object. A `\r` before the
 *   `\n` is accepted (it is JSON whitespace) and blank lines are ignored, so `nc -U` works by hand.
 * - A frame is at most MAX_FRAME (1 MiB) bytes before its `\n`. A longer one is an error as soon as its
 *   byte MAX_FRAME + 1 arrives: the reader never buffers more than MAX_FRAME bytes, whatever the peer
 *   sends (100 MB without a newline are cut at the cap). The peer gets one `error` message (code
 *   `frame-too-large`) and the connection is closed. Both directions obey the cap.
 * - A frame that is not UTF-8, not JSON, or not a JSON object: `error` (code `bad-json`), then close.
 *
 * Handshake and versioning
 *   client: {"type":"hello","versions":[1,2]}                 every protocol version it speaks
 *   server: {"type":"hello","version":2,"devrun":"0.1.0","pid":4242}   the highest version both speak
 *      or:  {"type":"error","code":"version","message":"this devrun speaks protocol 1, 2; the client
 *            speaks 3: use the same devrun version"}, then close
 * - The client's first message must be a hello: anything else gets `error` (code `hello-required`) and
 *   close. A malformed hello, or a second one: `error` (code `bad-message`) and close.
 * - Within a version, changes are additive only: new ops, new optional args, new result fields, new
 *   error codes, new message types. Receivers ignore object fields they do not know; clients ignore
 *   message types they do not know. Any other change takes a new version number (a devrun may speak
 *   several). An op that an older devrun lacks is answered `bad-request` ("unknown op"); the hello's
 *   `devrun` field says which devrun answered.
 * - Versions: 1 is everything below. 2 is 1 with one change: wherever 1 has a list of LogLine objects
 *   (the `lines` of the `lines` and `window` answers and of `logs` events), 2 has one LineBatch, the
 *   same lines by column (src/control/line-batch.ts has its shape): a short line costs its text and
 *   about ten bytes instead of about sixty. This devrun speaks both.
 *
 * Requests and responses
 *   client: {"type":"request","id":7,"op":"restart","args":{"names":["web"]}}
 *   server: {"type":"response","id":7,"ok":true,"result":{"names":["web.1","web.2"]}}
 *      or:  {"type":"response","id":7,"ok":false,"error":{"code":"unknown-process","message":"...",
 *            "details":{...}}}
 * - `id` is an integer from 0 to 2^53 - 1 chosen by the client and echoed in the response. A client may
 *   send requests without waiting for answers; responses can come in another order (a shutdown answers
 *   late), so they are matched by id, and the ids of unanswered requests should differ. A request whose
 *   id is missing or not such an integer is answered with `"id":null`.
 * - `args` is an object; it may be left out when an op takes none. Unknown args are ignored.
 * - Ops (args -> result):
 *     status    {}                          -> StatusReport (src/control/target.ts, versioned on its own)
 *     resolve   {names}                     -> {names} or {unknown, suggestion (string or null), known}
 *     restart, stop, kill, start  {names}   -> {names}: the processes acted on; restart reads the
 *                                              Procfile, .env and devrun.yaml again first, and when
 *                                              they cannot be used adds reloadError (one line, file
 *                                              and line): the processes restarted as they were
 *     send      {name, text}                -> {name}: the process that got the line
 *     shutdown  {}                          -> null, answered once every process is gone, so that
 *                                              `devrun stop` returns when the supervisor has stopped
 *     reload    {}                          -> {summary}: reads the Procfile, .env and devrun.yaml
 *                                              again and applies what changed (added processes start,
 *                                              removed ones stop and leave the list, changed ones
 *                                              restart); summary: "reload: added db.1; removed old.1;
 *                                              restarted web.1; 3 unchanged". When the files cannot be
 *                                              used nothing is applied: error `invalid-config`, its
 *                                              message one line with file and line (additive)
 *   `names` are NAMES as typed on the command line: `web` is every `web.N`, `web.2` is one instance;
 *   1 to MAX_NAMES strings of 1 to MAX_NAME_LENGTH characters. `send` takes one name that must resolve
 *   to one process, and `text` is one line without `\n` (devrun adds it).
 * - Error codes in responses (the connection stays open):
 *     bad-request      the request is well framed but invalid: unknown op, an arg missing or of the
 *                      wrong type, a bad id
 *     unknown-process  a name matches no process; details: {unknown, suggestion, known}
 *     busy             the connection already has MAX_IN_FLIGHT unanswered requests
 *     internal         devrun failed to carry the request out; the message says why
 *     invalid-config   reload: the Procfile, .env or devrun.yaml cannot be used; the message is one
 *                      line with file and line, and nothing was applied
 *
 * Connection errors: {"type":"error","code":C,"message":M}, after which the server closes the
 * connection. C is frame-too-large, bad-json, bad-message (a JSON object that is not a message, or
 * one of the wrong shape), hello-required or version.
 *
 * Limits and closing
 * - Output: a client must read its responses. One that lets more than OUTPUT_CAP bytes of them queue up
 *   in devrun is disconnected, without a message (it would not read it).
 * - Either side may close at any time. A client that shuts down only its writing side (`nc -N`) still
 *   gets the answers to the requests it sent, then the server closes. When devrun ends it stops reading,
 *   answers the requests in flight (for a short grace period at most) and closes every connection.
 *
 * Streams (additive within protocol 1: old clients ignore `event` messages, old devruns answer the
 * new ops `bad-request` "unknown op")
 *     lines        {names?, last}              -> {lines: [LogLine], omitted}: the last `last` (1 to
 *                                                 MAX_LAST_LINES) log lines still in devrun's rings, of
 *                                                 NAMES or of every process (and devrun's own), oldest
 *                                                 first; `omitted` counts the oldest left out so that
 *                                                 the answer fits in one frame
 *     write        {name, data}                -> {name}: `data` (base64, at most MAX_WRITE_BYTES once
 *                                                 decoded) written as is to one process's terminal or
 *                                                 stdin (keystrokes: `devrun connect`)
 *     resize       {name, columns, rows, ifSize?}  -> {name, previous, resized}: one process's
 *                                                 terminal size (1 to 10000); with ifSize {columns,
 *                                                 rows}, only if that is its size now (`devrun connect`
 *                                                 gives back the size it found, unless another client
 *                                                 has sized it since); previous: the size it had,
 *                                                 resized: whether it changed (previous and resized
 *                                                 are additive: older devruns answer {name})
 *     subscribe    {topic:"logs", names?}      -> {subscription: S, names: [..] or null}
 *                  {topic:"raw", name}         -> {subscription: S, name}
 *                  {topic:"state", names?}     -> {subscription: S, names: [..] or null}
 *     unsubscribe  {subscription: S}           -> null (`id` is accepted for `subscription`); an
 *                                                 unknown S is not an error (it may just have ended)
 *   A LogLine is {seq, ts, proc, stream, text}: seq rises by one per line across the run (a reader
 *   merges `lines` and `logs` events by it), ts is ms since the epoch, stream is stdout, stderr, system
 *   (devrun's own lines) or input (a line sent to a process on pipes), text is one sanitized line.
 *   Events, pushed between responses, never before the response to their subscribe:
 *     {"type":"event","subscription":S,"topic":"logs","lines":[LogLine, ...]}   new lines, in order
 *     {"type":"event","subscription":S,"topic":"raw","data":"<base64>"}         terminal bytes: first
 *            the recent ones devrun kept (up to 256 KiB of the current run), then live, across runs
 *     {"type":"event","subscription":S,"topic":"state","process":ProcessStatusReport}   first every
 *            subscribed process's current state, then each change
 *     {"type":"event","subscription":S,"topic":T,"skipped":N}   this reader fell behind: N lines
 *            (logs), bytes (raw) were dropped here, oldest first
 *   Subscriptions last until unsubscribe or the connection closes; a connection holds at most
 *   MAX_SUBSCRIPTIONS (more: `busy`). Names are resolved at subscribe time. Error codes: raw on a
 *   process without a terminal (run with --no-pty, or where node-pty cannot load) is `no-terminal`.
 * - Slow readers: devrun never blocks on a reader, and a reader never grows devrun's memory. Events go
 *   to the socket only while less than EVENT_WATERMARK bytes of output wait in devrun for the reader;
 *   the rest wait in the subscription's own queue, bounded to QUEUE_MAX_ITEMS lines (or chunks) and
 *   QUEUE_MAX_BYTES bytes. When a new line or chunk would pass the bound, the oldest are dropped and
 *   counted; the reader gets one `skipped` event for them before the lines that follow the gap. State
 *   events are coalesced instead: a reader that falls behind gets each process's latest state only.
 *   So a subscriber that stops reading costs devrun at most EVENT_WATERMARK plus one frame plus its
 *   queues, and is never disconnected for its events alone: the output cap counts responses.
 *
 * Dashboard (additive within protocol 1: what `devrun attach` needs to run the whole dashboard over the
 * socket; src/control/process-control.ts is the interface these ops carry, its comments the semantics.
 * Log text is never pushed: a dashboard is told which process printed up to which seq and pulls the
 * window it shows, so the wire costs what the screen shows.)
 *     snapshot   {}                          -> {processes: [ProcessState], usage: {NAME: {cpu, rss}},
 *                                               shutdown: {remaining, total} or null, terminals: [NAME]}:
 *                                               what a dashboard renders from; `terminals` are the
 *                                               processes whose current run has a terminal
 *     window     {scope, anchorSeq, height, have?}  -> {lines: [LogLine], following, below, keep?}:
 *                                               the `height` lines of `scope` ending at the line
 *                                               `anchorSeq`, or at the newest when anchorSeq is null.
 *                                               `have` {first, last, count} describes the window the
 *                                               client holds of this scope (its first and last seqs,
 *                                               its number of lines); when the new window can be built
 *                                               from it, the answer has `keep`: the window is the
 *                                               client's last `keep` lines, then `lines` (only those
 *                                               after its last one). Without `keep` it is whole, as
 *                                               always without `have` (src/control/window-delta.ts
 *                                               has the rule). Additive: an older devrun ignores
 *                                               `have` and answers whole windows.
 *     scroll     {scope, anchorSeq, delta, height}          -> {anchorSeq}: the anchor after moving
 *                                               `delta` lines (negative: older); null at the end
 *     findMatch  {scope, query, from: {anchorSeq, matchSeq}, direction: "older"|"newer", height}
 *                                            -> {matchSeq, anchorSeq} or null (no further match)
 *     matches    {scope, query}              -> {count, seqs}: every matching line, oldest first
 *     text       {scope, fromSeq, toSeq}     -> {text}: those whole lines as plain text (copy)
 *     command    {command: ProcessCommand}   -> null: one of start, stop, restart, kill, interrupt
 *                                               {type, name}; restart-all {type}; reload {type}; send-line {type, name,
 *                                               text}; write {type, name, data} (a string, as typed);
 *                                               resize {type, columns, rows, except?}; resize-one {type,
 *                                               name, columns, rows}; clear-logs {type, name?}
 *   A scope is {"kind":"process","name":NAME} or {"kind":"merged","only":[NAME...] or null}; NAMEs are
 *   process names (`web.1`); seqs and anchors are integers >= 0 or null; height 1 to 10000; a query is
 *   a string of at most MAX_QUERY characters. A command naming no process fails `unknown-process`.
 *   A ProcessState is {name, entry, index, command, port, status, pid?, restarts, startedAt?,
 *   restartAt?, lastExit?: {code, signal, at, byUser}, reason?, url?} (times in ms since the epoch; a field
 *   left out is unset). Topics (subscribe {topic}, no other args; events as above):
 *     {"topic":"process","process":ProcessState,"terminal":bool,"shutdown":{remaining,total} or null}
 *            first every process's state, then each change (coalesced per process, as `state`)
 *     {"topic":"process","processes":[ProcessState],"terminals":[NAME],"shutdown":...}   the list
 *            of processes changed (`devrun reload` added or removed some): every process now, in
 *            order; a process missing from it is gone (additive: older clients skip an event without
 *            `process`)
 *     {"topic":"lines","proc":NAME,"lastSeq":N}   NAME printed lines up to seq N (devrun's own lines
 *            are NAME `devrun`): windows showing NAME are out of date; coalesced per process
 *     {"topic":"usage","usage":{NAME: {cpu, rss}}}   a new resource sample (only the latest is kept)
 *     {"topic":"cleared","proc":NAME or null}   logs were cleared (one process's, or all when null)
 *   These queues hold one entry per process at most, so they never drop and send no `skipped`.
 */

import type { LineBatch } from './line-batch.js';
import type { LogScope, LogWindow, Match, ProcessCommand, ProcessState, ShutdownProgress } from './process-control.js';
import type { LogLineReport, ProcessStatusReport, StatusReport, TerminalSize } from './target.js';
import type { HeldWindow, WindowAnswer } from './window-delta.js';

/** Protocol versions this devrun speaks, oldest first. */
export const PROTOCOL_VERSIONS: readonly number[] = [1, 2];

/** Longest frame, in bytes before its `\n`. */
export const MAX_FRAME = 1024 * 1024;
/** Bytes of responses a connection may have queued in devrun before it is dropped. */
export const OUTPUT_CAP = 4 * MAX_FRAME;
/** Unanswered requests per connection. */
export const MAX_IN_FLIGHT = 64;
/** Names per request, and characters per name. */
export const MAX_NAMES = 1000;
export const MAX_NAME_LENGTH = 256;
/** Lines a `lines` request may ask for. */
export const MAX_LAST_LINES = 100_000;
/** Bytes one `write` may carry, once decoded. */
export const MAX_WRITE_BYTES = 512 * 1024;
/** Largest terminal side a `resize` may ask for. */
export const MAX_TERMINAL_SIDE = 10_000;
/** Subscriptions one connection may hold. */
export const MAX_SUBSCRIPTIONS = 64;
/** Events are written to a socket only while less than this many bytes wait in devrun for the reader. */
export const EVENT_WATERMARK = 256 * 1024;
/** A subscription's queue: most lines (or raw chunks) and bytes it holds for a reader that lags. */
export const QUEUE_MAX_ITEMS = 2000;
export const QUEUE_MAX_BYTES = 1024 * 1024;
/** Characters in a search query. */
export const MAX_QUERY = 1000;
/** Versions a hello may list. */
const MAX_VERSIONS = 64;

export type JsonObject = { [key: string]: unknown };

export type ResolveResult = { names: string[] } | { unknown: string; suggestion: string | null; known: string[] };

/** Every op: its args and its result. */
export interface Ops {
  status: { args: Record<string, never>; result: StatusReport };
  resolve: { args: { names: string[] }; result: ResolveResult };
  restart: { args: { names: string[] }; result: { names: string[]; reloadError?: string } };
  stop: { args: { names: string[] }; result: { names: string[] } };
  kill: { args: { names: string[] }; result: { names: string[] } };
  start: { args: { names: string[] }; result: { names: string[] } };
  send: { args: { name: string; text: string }; result: { name: string } };
  shutdown: { args: Record<string, never>; result: null };
  reload: { args: Record<string, never>; result: { summary: string } };
  lines: { args: { names?: string[]; last: number }; result: { lines: LogLineReport[]; omitted: number } };
  write: { args: { name: string; data: string }; result: { name: string } };
  resize: {
    args: { name: string; columns: number; rows: number; ifSize?: TerminalSize };
    result: { name: string; previous?: TerminalSize; resized?: boolean };
  };
  subscribe: { args: SubscribeArgs; result: { subscription: number; names: string[] | null } | { subscription: number; name: string } };
  unsubscribe: { args: { subscription: number }; result: null };
  snapshot: { args: Record<string, never>; result: SnapshotReport };
  window: { args: { scope: LogScope; anchorSeq: number | null; height: number; have?: HeldWindow }; result: WindowAnswer };
  scroll: { args: { scope: LogScope; anchorSeq: number | null; delta: number; height: number }; result: { anchorSeq: number | null } };
  findMatch: {
    args: {
      scope: LogScope;
      query: string;
      from: { anchorSeq: number | null; matchSeq: number | null };
      direction: 'older' | 'newer';
      height: number;
    };
    result: Match | null;
  };
  matches: { args: { scope: LogScope; query: string }; result: { count: number; seqs: number[] } };
  text: { args: { scope: LogScope; fromSeq: number; toSeq: number }; result: { text: string } };
  command: { args: { command: ProcessCommand }; result: null };
}
/** What `snapshot` answers: the cache an attached dashboard starts from. */
export interface SnapshotReport {
  processes: ProcessState[];
  usage: UsageReport;
  shutdown: ShutdownProgress | null;
  terminals: string[];
}
export type UsageReport = Record<string, { cpu: number; rss: number }>;
/** Topics of an attached dashboard (no names: every process). */
export type DashboardTopic = 'process' | 'lines' | 'usage' | 'cleared';
export type Topic = 'logs' | 'raw' | 'state' | DashboardTopic;
export type SubscribeArgs =
  | { topic: 'logs'; names?: string[] }
  | { topic: 'raw'; name: string }
  | { topic: 'state'; names?: string[] }
  | { topic: DashboardTopic };

/** What an event carries besides its subscription (see the protocol comment). */
export type EventBody =
  | { topic: 'logs'; lines: LogLineReport[] | LineBatch }
  | { topic: 'raw'; data: string }
  | { topic: 'state'; process: ProcessStatusReport }
  | { topic: 'process'; process: ProcessState; terminal: boolean; shutdown: ShutdownProgress | null }
  | { topic: 'process'; processes: ProcessState[]; terminals: string[]; shutdown: ShutdownProgress | null }
  | { topic: 'lines'; proc: string; lastSeq: number }
  | { topic: 'usage'; usage: UsageReport }
  | { topic: 'cleared'; proc: string | null }
  | { topic: Topic; skipped: number };
export type EventMessage = { type: 'event'; subscription: number } & EventBody;
export type Op = keyof Ops;
export type NamesOp = 'restart' | 'stop' | 'kill' | 'start';

export type Request = { [K in Op]: { type: 'request'; id: number; op: K; args: Ops[K]['args'] } }[Op];

export type ConnectionErrorCode = 'frame-too-large' | 'bad-json' | 'bad-message' | 'hello-required' | 'version';
export type ResponseErrorCode = 'bad-request' | 'unknown-process' | 'busy' | 'internal' | 'no-terminal' | 'invalid-config';

export interface ClientHello {
  type: 'hello';
  versions: number[];
}
export interface ServerHello {
  type: 'hello';
  version: number;
  devrun: string;
  pid: number;
}
export interface ErrorMessage {
  type: 'error';
  code: ConnectionErrorCode | (string & {});
  message: string;
}
export interface Failure {
  code: ResponseErrorCode | (string & {});
  message: string;
  details?: unknown;
}
export type Response =
  | { type: 'response'; id: number | null; ok: true; result: unknown }
  | { type: 'response'; id: number | null; ok: false; error: Failure };

export type Message = ClientHello | ServerHello | ErrorMessage | Request | Response | EventMessage;

/** One message as a frame: JSON (which escapes every `\n` in strings) and its newline. */
export function encode(message: Message): string {
  return `${JSON.stringify(message)}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Framing

export interface FrameError {
  code: 'frame-too-large' | 'bad-json';
  message: string;
}

export interface FrameBatch {
  messages: JsonObject[];
  /** Set once the stream is broken; later pushes return no messages and the same error. */
  error: FrameError | undefined;
}

const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Incremental frame reader, for either side. Holds at most maxFrame bytes of an unfinished frame, in
 * copies (never a view that would keep a whole socket chunk alive), and nothing between frames, so an
 * idle connection costs no buffer.
 */
export class FrameReader {
  private readonly maxFrame: number;
  private pieces: Buffer[] = [];
  private pendingLen = 0;
  private failure: FrameError | undefined;

  constructor(maxFrame = MAX_FRAME) {
    this.maxFrame = maxFrame;
  }

  /** Bytes held for the unfinished frame. */
  get bufferedBytes(): number {
    return this.pendingLen;
  }

  push(chunk: Uint8Array): FrameBatch {
    const messages: JsonObject[] = [];
    if (this.failure !== undefined) return { messages, error: this.failure };
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? buf.length : nl;
      if (this.pendingLen + (end - pos) > this.maxFrame) {
        return { messages, error: this.fail('frame-too-large', `a frame is longer than ${this.maxFrame} bytes`) };
      }
      if (nl === -1) {
        this.pieces.push(Buffer.from(buf.subarray(pos)));
        this.pendingLen += buf.length - pos;
        break;
      }
      const frame = this.pendingLen === 0 ? buf.subarray(pos, nl) : Buffer.concat([...this.pieces, buf.subarray(pos, nl)]);
      this.pieces = [];
      this.pendingLen = 0;
      pos = nl + 1;
      const decoded = decodeFrame(frame);
      if (decoded === undefined) continue;
      if ('code' in decoded) return { messages, error: this.fail(decoded.code, decoded.message) };
      messages.push(decoded.message);
    }
    return { messages, error: undefined };
  }

  private fail(code: FrameError['code'], message: string): FrameError {
    this.pieces = [];
    this.pendingLen = 0;
    this.failure = { code, message };
    return this.failure;
  }
}

/** A frame's message; undefined for a blank line. */
function decodeFrame(frame: Buffer): { message: JsonObject } | FrameError | undefined {
  let text: string;
  try {
    text = utf8.decode(frame);
  } catch {
    return { code: 'bad-json', message: 'a frame is not valid UTF-8' };
  }
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { code: 'bad-json', message: `a frame is not JSON (${(error as Error).message})` };
  }
  if (!isObject(value)) return { code: 'bad-json', message: 'a frame is not a JSON object' };
  return { message: value };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------
// What the server receives

export type ClientMessage =
  | { kind: 'hello'; versions: number[] }
  | { kind: 'request'; request: Request }
  /** Well framed, but not a valid request: answered `bad-request`, the connection stays open. */
  | { kind: 'bad-request'; id: number | null; message: string }
  /** Not a message the server understands: error `bad-message` and close. */
  | { kind: 'invalid'; message: string };

const OPS: ReadonlySet<string> = new Set<Op>([
  'status',
  'resolve',
  'restart',
  'stop',
  'kill',
  'start',
  'send',
  'shutdown',
  'reload',
  'lines',
  'write',
  'resize',
  'subscribe',
  'unsubscribe',
  'snapshot',
  'window',
  'scroll',
  'findMatch',
  'matches',
  'text',
  'command',
]);
const DASHBOARD_TOPICS: ReadonlySet<string> = new Set<DashboardTopic>(['process', 'lines', 'usage', 'cleared']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function readClientMessage(message: JsonObject): ClientMessage {
  if (message.type === 'hello') {
    const versions = message.versions;
    if (!Array.isArray(versions) || versions.length === 0 || versions.length > MAX_VERSIONS || !versions.every(isVersion)) {
      return { kind: 'invalid', message: 'hello needs "versions": a list of protocol versions, like [1]' };
    }
    return { kind: 'hello', versions };
  }
  if (message.type === 'request') return readRequest(message);
  return { kind: 'invalid', message: `unknown message type ${describe(message.type)}` };
}

function readRequest(message: JsonObject): ClientMessage {
  const id = isId(message.id) ? message.id : null;
  const bad = (text: string): ClientMessage => ({ kind: 'bad-request', id, message: text });
  if (id === null) return bad('a request needs "id": an integer from 0 to 2^53 - 1');
  const op = message.op;
  if (typeof op !== 'string') return bad('a request needs "op": a string');
  if (!OPS.has(op)) return bad(`unknown op ${describe(op)}`);
  const args = message.args ?? {};
  if (!isObject(args)) return bad(`"args" of ${op} must be an object`);
  switch (op as Op) {
    case 'status':
    case 'shutdown':
    case 'reload':
    case 'snapshot':
      return { kind: 'request', request: { type: 'request', id, op: op as 'status' | 'shutdown' | 'reload' | 'snapshot', args: {} } };
    case 'window':
    case 'scroll':
    case 'findMatch':
    case 'matches':
    case 'text':
    case 'command': {
      const read = readDashboardArgs(op as DashboardOp, args);
      if (typeof read === 'string') return bad(`${op}: ${read}`);
      return { kind: 'request', request: { type: 'request', id, op, args: read } as Request };
    }
    case 'resolve':
    case 'restart':
    case 'stop':
    case 'kill':
    case 'start': {
      const problem = namesProblem(args.names);
      if (problem !== undefined) return bad(`${op}: ${problem}`);
      return { kind: 'request', request: { type: 'request', id, op: op as 'resolve' | NamesOp, args: { names: args.names as string[] } } };
    }
    case 'send': {
      if (!isName(args.name)) return bad(`send: "name" must be a process name (1 to ${MAX_NAME_LENGTH} characters)`);
      if (typeof args.text !== 'string') return bad('send: "text" must be a string');
      if (args.text.includes('\n')) return bad('send: "text" is one line: it must not contain "\\n" (devrun adds one)');
      return { kind: 'request', request: { type: 'request', id, op: 'send', args: { name: args.name, text: args.text } } };
    }
    case 'lines': {
      const names = args.names === undefined ? undefined : args.names;
      const problem = names === undefined ? undefined : namesProblem(names);
      if (problem !== undefined) return bad(`lines: ${problem}`);
      if (!isCount(args.last, MAX_LAST_LINES)) return bad(`lines: "last" must be an integer from 1 to ${MAX_LAST_LINES}`);
      const lineArgs: Ops['lines']['args'] = { last: args.last };
      if (names !== undefined) lineArgs.names = names as string[];
      return { kind: 'request', request: { type: 'request', id, op: 'lines', args: lineArgs } };
    }
    case 'write': {
      if (!isName(args.name)) return bad(`write: "name" must be a process name (1 to ${MAX_NAME_LENGTH} characters)`);
      const data = args.data;
      if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) return bad('write: "data" must be base64');
      if ((data.length / 4) * 3 > MAX_WRITE_BYTES + 2) return bad(`write: "data" is more than ${MAX_WRITE_BYTES} bytes`);
      return { kind: 'request', request: { type: 'request', id, op: 'write', args: { name: args.name, data } } };
    }
    case 'resize': {
      if (!isName(args.name)) return bad(`resize: "name" must be a process name (1 to ${MAX_NAME_LENGTH} characters)`);
      if (!isCount(args.columns, MAX_TERMINAL_SIDE) || !isCount(args.rows, MAX_TERMINAL_SIDE)) {
        return bad(`resize: "columns" and "rows" must be integers from 1 to ${MAX_TERMINAL_SIDE}`);
      }
      const resize: Ops['resize']['args'] = { name: args.name, columns: args.columns, rows: args.rows };
      const ifSize = args.ifSize;
      if (ifSize !== undefined) {
        if (!isObject(ifSize) || !isCount(ifSize.columns, MAX_TERMINAL_SIDE) || !isCount(ifSize.rows, MAX_TERMINAL_SIDE)) {
          return bad(`resize: "ifSize" must be {columns, rows}, integers from 1 to ${MAX_TERMINAL_SIDE}`);
        }
        resize.ifSize = { columns: ifSize.columns, rows: ifSize.rows };
      }
      return { kind: 'request', request: { type: 'request', id, op: 'resize', args: resize } };
    }
    case 'subscribe': {
      const topic = args.topic;
      if (topic === 'raw') {
        if (!isName(args.name)) return bad(`subscribe: raw needs "name": a process name (1 to ${MAX_NAME_LENGTH} characters)`);
        return { kind: 'request', request: { type: 'request', id, op: 'subscribe', args: { topic, name: args.name } } };
      }
      if (topic === 'logs' || topic === 'state') {
        if (args.names === undefined) return { kind: 'request', request: { type: 'request', id, op: 'subscribe', args: { topic } } };
        const problem = namesProblem(args.names);
        if (problem !== undefined) return bad(`subscribe: ${problem}`);
        return { kind: 'request', request: { type: 'request', id, op: 'subscribe', args: { topic, names: args.names as string[] } } };
      }
      if (typeof topic === 'string' && DASHBOARD_TOPICS.has(topic)) {
        return { kind: 'request', request: { type: 'request', id, op: 'subscribe', args: { topic: topic as DashboardTopic } } };
      }
      return bad(`subscribe: unknown topic ${describe(topic)} (topics: logs, raw, state, process, lines, usage, cleared)`);
    }
    case 'unsubscribe': {
      const subscription = args.subscription ?? args.id;
      if (!isId(subscription)) return bad('unsubscribe: "subscription" must be the number subscribe answered');
      return { kind: 'request', request: { type: 'request', id, op: 'unsubscribe', args: { subscription } } };
    }
  }
}

type DashboardOp = 'window' | 'scroll' | 'findMatch' | 'matches' | 'text' | 'command';

/** The args of a dashboard op, checked; or what is wrong with them. */
function readDashboardArgs(op: DashboardOp, args: JsonObject): Ops[DashboardOp]['args'] | string {
  if (op === 'command') return readCommand(args.command);
  const scope = readScope(args.scope);
  if (typeof scope === 'string') return scope;
  const height = () => isCount(args.height, MAX_TERMINAL_SIDE);
  const heightProblem = `"height" must be an integer from 1 to ${MAX_TERMINAL_SIDE}`;
  const query = () => typeof args.query === 'string' && args.query.length <= MAX_QUERY;
  const queryProblem = `"query" must be a string of at most ${MAX_QUERY} characters`;
  switch (op) {
    case 'window': {
      if (!isSeqOrNull(args.anchorSeq)) return '"anchorSeq" must be a seq (an integer >= 0) or null';
      if (!height()) return heightProblem;
      const window: Ops['window']['args'] = { scope, anchorSeq: args.anchorSeq, height: args.height as number };
      if (args.have === undefined) return window;
      const have = args.have;
      if (!isObject(have) || !isId(have.first) || !isId(have.last) || !isCount(have.count, MAX_TERMINAL_SIDE) || have.first > have.last) {
        return `"have" must be {first, last, count}: two seqs, first <= last, and 1 to ${MAX_TERMINAL_SIDE} lines`;
      }
      return { ...window, have: { first: have.first, last: have.last, count: have.count } };
    }
    case 'scroll':
      if (!isSeqOrNull(args.anchorSeq)) return '"anchorSeq" must be a seq (an integer >= 0) or null';
      if (typeof args.delta !== 'number' || !Number.isSafeInteger(args.delta)) return '"delta" must be an integer';
      if (!height()) return heightProblem;
      return { scope, anchorSeq: args.anchorSeq, delta: args.delta, height: args.height as number };
    case 'findMatch': {
      if (!query()) return queryProblem;
      const from = args.from;
      if (!isObject(from) || !isSeqOrNull(from.anchorSeq) || !isSeqOrNull(from.matchSeq)) {
        return '"from" must be {anchorSeq, matchSeq}, each a seq or null';
      }
      if (args.direction !== 'older' && args.direction !== 'newer') return '"direction" must be "older" or "newer"';
      if (!height()) return heightProblem;
      return {
        scope,
        query: args.query as string,
        from: { anchorSeq: from.anchorSeq, matchSeq: from.matchSeq },
        direction: args.direction,
        height: args.height as number,
      };
    }
    case 'matches':
      if (!query()) return queryProblem;
      return { scope, query: args.query as string };
    case 'text':
      if (!isId(args.fromSeq) || !isId(args.toSeq)) return '"fromSeq" and "toSeq" must be seqs (integers >= 0)';
      return { scope, fromSeq: args.fromSeq, toSeq: args.toSeq };
  }
}

function readScope(value: unknown): LogScope | string {
  if (isObject(value) && value.kind === 'process' && isName(value.name)) return { kind: 'process', name: value.name };
  if (isObject(value) && value.kind === 'merged') {
    if (value.only === null || value.only === undefined) return { kind: 'merged', only: null };
    const only = value.only;
    if (Array.isArray(only) && only.length <= MAX_NAMES && only.every(isName)) return { kind: 'merged', only };
  }
  return '"scope" must be {"kind":"process","name":NAME} or {"kind":"merged","only":[NAME...] or null}';
}

const NAMED_COMMANDS: ReadonlySet<string> = new Set(['start', 'stop', 'restart', 'kill', 'interrupt']);

function readCommand(value: unknown): { command: ProcessCommand } | string {
  if (!isObject(value) || typeof value.type !== 'string') return '"command" must be an object with a "type"';
  const { type } = value;
  const nameProblem = `"name" must be a process name (1 to ${MAX_NAME_LENGTH} characters)`;
  const sizeProblem = `"columns" and "rows" must be integers from 1 to ${MAX_TERMINAL_SIDE}`;
  const sized = () => isCount(value.columns, MAX_TERMINAL_SIDE) && isCount(value.rows, MAX_TERMINAL_SIDE);
  if (NAMED_COMMANDS.has(type)) {
    if (!isName(value.name)) return nameProblem;
    return { command: { type: type as 'start', name: value.name } };
  }
  switch (type) {
    case 'restart-all':
    case 'reload':
      return { command: { type } };
    case 'send-line':
      if (!isName(value.name)) return nameProblem;
      if (typeof value.text !== 'string' || value.text.includes('\n')) return '"text" must be one line (no "\\n")';
      return { command: { type, name: value.name, text: value.text } };
    case 'write':
      if (!isName(value.name)) return nameProblem;
      if (typeof value.data !== 'string' || value.data.length > MAX_WRITE_BYTES)
        return `"data" must be a string of at most ${MAX_WRITE_BYTES} characters`;
      return { command: { type, name: value.name, data: value.data } };
    case 'resize': {
      if (!sized()) return sizeProblem;
      if (value.except !== undefined && !isName(value.except)) return `"except" must be a process name`;
      const command: ProcessCommand = { type, columns: value.columns as number, rows: value.rows as number };
      if (value.except !== undefined) command.except = value.except;
      return { command };
    }
    case 'resize-one':
      if (!isName(value.name)) return nameProblem;
      if (!sized()) return sizeProblem;
      return { command: { type, name: value.name, columns: value.columns as number, rows: value.rows as number } };
    case 'clear-logs':
      if (value.name !== undefined && !isName(value.name)) return nameProblem;
      return { command: value.name === undefined ? { type } : { type, name: value.name } };
  }
  return `unknown command type ${describe(type)}`;
}

function isSeqOrNull(value: unknown): value is number | null {
  return value === null || isId(value);
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max;
}

function namesProblem(names: unknown): string | undefined {
  if (!Array.isArray(names)) return '"names" must be a list of process names';
  if (names.length === 0) return '"names" must not be empty';
  if (names.length > MAX_NAMES) return `"names" lists more than ${MAX_NAMES} names`;
  if (!names.every(isName)) return `every name must be a string of 1 to ${MAX_NAME_LENGTH} characters`;
  return undefined;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A value for an error message, kept short. */
function describe(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** The version both sides speak (the highest), or the error message that explains there is none. */
export function negotiate(clientVersions: readonly number[], ours: readonly number[] = PROTOCOL_VERSIONS): number | ErrorMessage {
  const shared = clientVersions.filter((version) => ours.includes(version));
  if (shared.length > 0) return Math.max(...shared);
  return {
    type: 'error',
    code: 'version',
    message: `this devrun speaks protocol ${ours.join(', ')}; the client speaks ${clientVersions.join(', ')}: use the same devrun version`,
  };
}

// ---------------------------------------------------------------------------------------------------
// What the client receives

export type ServerMessage =
  | { kind: 'hello'; hello: ServerHello }
  | { kind: 'response'; response: Response }
  | { kind: 'error'; error: ErrorMessage }
  /** An event of a subscription; its body is checked by whoever subscribed. */
  | { kind: 'event'; subscription: number; event: JsonObject }
  /** A message type this client does not know (from a newer devrun): ignored. */
  | { kind: 'other' }
  | { kind: 'invalid'; message: string };

export function readServerMessage(message: JsonObject): ServerMessage {
  switch (message.type) {
    case 'hello': {
      const { version, devrun, pid } = message;
      if (!isVersion(version) || typeof devrun !== 'string' || !isId(pid)) {
        return { kind: 'invalid', message: 'malformed hello from devrun' };
      }
      return { kind: 'hello', hello: { type: 'hello', version, devrun, pid } };
    }
    case 'error': {
      if (typeof message.code !== 'string' || typeof message.message !== 'string') {
        return { kind: 'invalid', message: 'malformed error from devrun' };
      }
      return { kind: 'error', error: { type: 'error', code: message.code, message: message.message } };
    }
    case 'response': {
      const id = message.id === null ? null : isId(message.id) ? message.id : undefined;
      if (id === undefined) return { kind: 'invalid', message: 'a response from devrun has no valid id' };
      if (message.ok === true) return { kind: 'response', response: { type: 'response', id, ok: true, result: message.result } };
      const error = message.error;
      if (message.ok !== false || !isObject(error) || typeof error.code !== 'string' || typeof error.message !== 'string') {
        return { kind: 'invalid', message: 'malformed response from devrun' };
      }
      const failure: Failure = { code: error.code, message: error.message };
      if (error.details !== undefined) failure.details = error.details;
      return { kind: 'response', response: { type: 'response', id, ok: false, error: failure } };
    }
    case 'event': {
      if (!isId(message.subscription)) return { kind: 'invalid', message: 'an event from devrun has no valid subscription' };
      return { kind: 'event', subscription: message.subscription, event: message };
    }
    default:
      return { kind: 'other' };
  }
}
