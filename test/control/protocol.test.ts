import { describe, expect, it } from 'vitest';
import {
  type ClientMessage,
  encode,
  FrameReader,
  type JsonObject,
  MAX_FRAME,
  MAX_NAME_LENGTH,
  MAX_NAMES,
  MAX_QUERY,
  negotiate,
  readClientMessage,
  readServerMessage,
} from '../../src/control/protocol.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Feeds every chunk; returns all messages and the first error. */
function read(chunks: Uint8Array[], maxFrame?: number) {
  const reader = new FrameReader(maxFrame);
  const messages: JsonObject[] = [];
  let error: string | undefined;
  let maxBuffered = 0;
  for (const chunk of chunks) {
    const batch = reader.push(chunk);
    messages.push(...batch.messages);
    maxBuffered = Math.max(maxBuffered, reader.bufferedBytes);
    if (batch.error !== undefined) {
      error = batch.error.code;
      break;
    }
  }
  return { messages, error, buffered: reader.bufferedBytes, maxBuffered };
}

/** A frame (without its newline) of exactly `size` bytes: {"pad":"aaa…"}. */
function frameOfSize(size: number): Buffer {
  const frame = Buffer.alloc(size, 'a');
  frame.write('{"pad":"', 0);
  frame.write('"}', size - 2);
  return frame;
}

describe('FrameReader', () => {
  it.each<{ name: string; chunks: string[]; messages: JsonObject[] }>([
    { name: 'one frame', chunks: ['{"a":1}\n'], messages: [{ a: 1 }] },
    { name: 'several frames in one chunk', chunks: ['{"a":1}\n{"a":2}\n{"a":3}\n'], messages: [{ a: 1 }, { a: 2 }, { a: 3 }] },
    { name: 'a frame split across chunks', chunks: ['{"a"', ':', '1}', '\n'], messages: [{ a: 1 }] },
    { name: 'frames straddling chunks', chunks: ['{"a":1}\n{"a"', ':2}\n{', '"a":3}\n'], messages: [{ a: 1 }, { a: 2 }, { a: 3 }] },
    { name: 'an unfinished frame waits for its newline', chunks: ['{"a":1}\n{"a":2}'], messages: [{ a: 1 }] },
    { name: 'CRLF', chunks: ['{"a":1}\r\n'], messages: [{ a: 1 }] },
    { name: 'blank lines are skipped', chunks: ['\n\r\n  \n{"a":1}\n\n'], messages: [{ a: 1 }] },
    { name: 'escaped newlines inside strings', chunks: ['{"a":"x\\ny"}\n'], messages: [{ a: 'x\ny' }] },
  ])('$name', ({ chunks, messages }) => {
    expect(read(chunks.map(bytes)).messages).toEqual(messages);
  });

  it('reads the same bytes cut at every offset, and one byte at a time', () => {
    const data = bytes('{"type":"hello","versions":[1]}\n{"t":"é😀"}\n');
    const expected = [{ type: 'hello', versions: [1] }, { t: 'é😀' }];
    for (let k = 0; k <= data.length; k++) {
      expect(read([data.subarray(0, k), data.subarray(k)]).messages).toEqual(expected);
    }
    expect(read([...data].map((byte) => Uint8Array.of(byte))).messages).toEqual(expected);
  });

  it('joins a UTF-8 character split across chunks', () => {
    const data = bytes('{"s":"😀"}\n');
    const start = data.indexOf(0xf0);
    for (let cut = start + 1; cut < start + 4; cut++) {
      expect(read([data.subarray(0, cut), data.subarray(cut)])).toMatchObject({ messages: [{ s: '😀' }], error: undefined });
    }
  });

  it('takes a frame of exactly the cap', () => {
    const frame = frameOfSize(MAX_FRAME);
    const result = read([frame.subarray(0, 1000), frame.subarray(1000), bytes('\n')]);
    expect(result.error).toBeUndefined();
    expect(String(result.messages[0]?.pad).length).toBe(MAX_FRAME - 10);
    expect(result.maxBuffered).toBe(MAX_FRAME);
    expect(result.buffered).toBe(0);
  });

  it('refuses cap + 1 as soon as the byte over the cap arrives, newline or not', () => {
    const frame = frameOfSize(MAX_FRAME + 1);
    expect(read([frame, bytes('\n')])).toMatchObject({ error: 'frame-too-large', messages: [], maxBuffered: 0 });
    const byByte = read([frame.subarray(0, MAX_FRAME), frame.subarray(MAX_FRAME)]);
    expect(byByte).toMatchObject({ error: 'frame-too-large', buffered: 0, maxBuffered: MAX_FRAME });
  });

  it('never buffers more than the cap, whatever comes without a newline', () => {
    const reader = new FrameReader();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let pushed = 0;
    let error: string | undefined;
    // Up to 100 MB; the reader must give up at the cap.
    while (pushed < 100 * 1024 * 1024 && error === undefined) {
      error = reader.push(chunk).error?.code;
      pushed += chunk.length;
      expect(reader.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME);
    }
    expect(error).toBe('frame-too-large');
    expect(pushed).toBe(MAX_FRAME + chunk.length);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('a small cap is honoured the same way', () => {
    expect(read([bytes('{"a":1}\n')], 7).messages).toEqual([{ a: 1 }]);
    expect(read([bytes('{"a":12}\n')], 7).error).toBe('frame-too-large');
  });

  it.each<{ name: string; data: Buffer }>([
    { name: 'not JSON', data: bytes('hello there\n') },
    { name: 'truncated JSON', data: bytes('{"a":\n') },
    { name: 'an array', data: bytes('[1,2]\n') },
    { name: 'null', data: bytes('null\n') },
    { name: 'a number', data: bytes('42\n') },
    { name: 'a string', data: bytes('"hello"\n') },
    { name: 'invalid UTF-8', data: Buffer.concat([bytes('{"a":"'), Buffer.from([0xff, 0xfe]), bytes('"}\n')]) },
    { name: 'a lone continuation byte', data: Buffer.concat([bytes('{"a":"'), Buffer.from([0x80]), bytes('"}\n')]) },
  ])('garbage: $name is bad-json', ({ data }) => {
    expect(read([data]).error).toBe('bad-json');
  });

  it('returns the frames before a bad one, then stays broken', () => {
    const reader = new FrameReader();
    const first = reader.push(bytes('{"a":1}\nnope\n{"a":2}\n'));
    expect(first.messages).toEqual([{ a: 1 }]);
    expect(first.error?.code).toBe('bad-json');
    expect(reader.push(bytes('{"a":3}\n'))).toEqual({ messages: [], error: first.error });
  });
});

describe('encode', () => {
  it('is one line that reads back as the same message', () => {
    const message = { type: 'request', id: 3, op: 'send', args: { name: 'web.1', text: 'a\nb\u2028c "q" é' } } as const;
    const line = encode(message);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(read([bytes(line)]).messages).toEqual([message]);
  });
});

describe('readClientMessage', () => {
  const request = (fields: JsonObject): JsonObject => ({ type: 'request', id: 1, ...fields });
  const tooManyNames = Array.from({ length: MAX_NAMES + 1 }, (_, i) => `p${i}`);

  it.each<{ name: string; message: JsonObject; kind: ClientMessage['kind']; contains?: string }>([
    { name: 'hello', message: { type: 'hello', versions: [1, 2] }, kind: 'hello' },
    { name: 'hello without versions', message: { type: 'hello' }, kind: 'invalid' },
    { name: 'hello with empty versions', message: { type: 'hello', versions: [] }, kind: 'invalid' },
    { name: 'hello with a string version', message: { type: 'hello', versions: ['1'] }, kind: 'invalid' },
    { name: 'hello with a fractional version', message: { type: 'hello', versions: [1.5] }, kind: 'invalid' },
    { name: 'unknown type', message: { type: 'subscribe' }, kind: 'invalid', contains: 'unknown message type' },
    { name: 'no type', message: { id: 1 }, kind: 'invalid' },
    { name: 'status', message: request({ op: 'status' }), kind: 'request' },
    { name: 'status with args', message: request({ op: 'status', args: {} }), kind: 'request' },
    { name: 'shutdown', message: request({ op: 'shutdown' }), kind: 'request' },
    { name: 'reload', message: request({ op: 'reload' }), kind: 'request' },
    { name: 'reload with unknown args', message: request({ op: 'reload', args: { names: ['web'] } }), kind: 'request' },
    { name: 'reload with args not an object', message: request({ op: 'reload', args: 'all' }), kind: 'bad-request' },
    { name: 'restart', message: request({ op: 'restart', args: { names: ['web'] } }), kind: 'request' },
    { name: 'unknown args are ignored', message: request({ op: 'stop', args: { names: ['web'], later: true } }), kind: 'request' },
    { name: 'send', message: request({ op: 'send', args: { name: 'web.1', text: 'rs' } }), kind: 'request' },
    { name: 'send an empty line', message: request({ op: 'send', args: { name: 'web.1', text: '' } }), kind: 'request' },
    { name: 'unknown op', message: request({ op: 'explode' }), kind: 'bad-request', contains: 'unknown op "explode"' },
    { name: 'op not a string', message: request({ op: 5 }), kind: 'bad-request' },
    { name: 'missing op', message: request({}), kind: 'bad-request' },
    { name: 'missing id', message: { type: 'request', op: 'status' }, kind: 'bad-request', contains: '"id"' },
    { name: 'negative id', message: request({ id: -1, op: 'status' }), kind: 'bad-request' },
    { name: 'fractional id', message: request({ id: 1.5, op: 'status' }), kind: 'bad-request' },
    { name: 'string id', message: request({ id: '1', op: 'status' }), kind: 'bad-request' },
    { name: 'args not an object', message: request({ op: 'status', args: [] }), kind: 'bad-request' },
    { name: 'missing names', message: request({ op: 'restart', args: {} }), kind: 'bad-request', contains: '"names"' },
    { name: 'names a string', message: request({ op: 'kill', args: { names: 'web' } }), kind: 'bad-request' },
    { name: 'empty names', message: request({ op: 'start', args: { names: [] } }), kind: 'bad-request' },
    { name: 'a number among names', message: request({ op: 'resolve', args: { names: ['web', 3] } }), kind: 'bad-request' },
    { name: 'an empty name', message: request({ op: 'stop', args: { names: [''] } }), kind: 'bad-request' },
    { name: 'a name too long', message: request({ op: 'stop', args: { names: ['w'.repeat(MAX_NAME_LENGTH + 1)] } }), kind: 'bad-request' },
    { name: 'too many names', message: request({ op: 'stop', args: { names: tooManyNames } }), kind: 'bad-request' },
    { name: 'send without text', message: request({ op: 'send', args: { name: 'web.1' } }), kind: 'bad-request' },
    { name: 'send without name', message: request({ op: 'send', args: { text: 'x' } }), kind: 'bad-request' },
    { name: 'send with names', message: request({ op: 'send', args: { names: ['web.1'], text: 'x' } }), kind: 'bad-request' },
    { name: 'send two lines', message: request({ op: 'send', args: { name: 'web.1', text: 'a\nb' } }), kind: 'bad-request' },
  ])('$name -> $kind', ({ message, kind, contains }) => {
    const result = readClientMessage(message);
    expect(result.kind).toBe(kind);
    if (contains !== undefined) expect('message' in result ? result.message : '').toContain(contains);
  });

  it('keeps the id of a bad request when it is usable, null otherwise', () => {
    expect(readClientMessage({ type: 'request', id: 9, op: 'nope' })).toMatchObject({ kind: 'bad-request', id: 9 });
    expect(readClientMessage({ type: 'request', id: 'x', op: 'status' })).toMatchObject({ kind: 'bad-request', id: null });
  });

  it('hands over clean args: only the fields the op takes', () => {
    expect(readClientMessage({ type: 'request', id: 2, op: 'restart', args: { names: ['web'], extra: 1 } })).toEqual({
      kind: 'request',
      request: { type: 'request', id: 2, op: 'restart', args: { names: ['web'] } },
    });
  });
});

describe('readClientMessage: the dashboard ops', () => {
  const request = (op: string, args: unknown): JsonObject => ({ type: 'request', id: 3, op, args });
  const web = { kind: 'process', name: 'web.1' };
  const merged = { kind: 'merged', only: null };

  it.each<{ name: string; message: JsonObject; ok: boolean; contains?: string }>([
    { name: 'snapshot', message: request('snapshot', {}), ok: true },
    { name: 'window', message: request('window', { scope: web, anchorSeq: null, height: 20 }), ok: true },
    {
      name: 'window merged, filtered',
      message: request('window', { scope: { kind: 'merged', only: ['a.1'] }, anchorSeq: 7, height: 1 }),
      ok: true,
    },
    { name: 'window without a scope', message: request('window', { anchorSeq: null, height: 20 }), ok: false, contains: '"scope"' },
    { name: 'window with a bad scope', message: request('window', { scope: { kind: 'all' }, anchorSeq: null, height: 2 }), ok: false },
    {
      name: 'window with height 0',
      message: request('window', { scope: web, anchorSeq: null, height: 0 }),
      ok: false,
      contains: '"height"',
    },
    { name: 'window with a negative anchor', message: request('window', { scope: web, anchorSeq: -1, height: 2 }), ok: false },
    {
      name: 'window with the window the client holds',
      message: request('window', { scope: web, anchorSeq: null, height: 2, have: { first: 4, last: 9, count: 2 } }),
      ok: true,
    },
    {
      name: 'window holding a window that ends before it starts',
      message: request('window', { scope: web, anchorSeq: null, height: 2, have: { first: 9, last: 4, count: 2 } }),
      ok: false,
      contains: '"have"',
    },
    {
      name: 'window holding no lines',
      message: request('window', { scope: web, anchorSeq: null, height: 2, have: { first: 4, last: 4, count: 0 } }),
      ok: false,
      contains: '"have"',
    },
    { name: 'scroll up', message: request('scroll', { scope: merged, anchorSeq: null, delta: -5, height: 10 }), ok: true },
    { name: 'scroll by half a line', message: request('scroll', { scope: merged, anchorSeq: null, delta: 0.5, height: 10 }), ok: false },
    {
      name: 'findMatch',
      message: request('findMatch', { scope: web, query: 'x', from: { anchorSeq: null, matchSeq: 4 }, direction: 'older', height: 9 }),
      ok: true,
    },
    {
      name: 'findMatch sideways',
      message: request('findMatch', { scope: web, query: 'x', from: { anchorSeq: null, matchSeq: null }, direction: 'up', height: 9 }),
      ok: false,
      contains: '"direction"',
    },
    { name: 'findMatch without from', message: request('findMatch', { scope: web, query: 'x', direction: 'older', height: 9 }), ok: false },
    { name: 'matches', message: request('matches', { scope: web, query: 'needle' }), ok: true },
    { name: 'matches, a query too long', message: request('matches', { scope: web, query: 'q'.repeat(MAX_QUERY + 1) }), ok: false },
    { name: 'text', message: request('text', { scope: web, fromSeq: 1, toSeq: 9 }), ok: true },
    { name: 'text without toSeq', message: request('text', { scope: web, fromSeq: 1 }), ok: false },
    { name: 'command restart', message: request('command', { command: { type: 'restart', name: 'web.1' } }), ok: true },
    { name: 'command restart-all', message: request('command', { command: { type: 'restart-all' } }), ok: true },
    { name: 'command reload', message: request('command', { command: { type: 'reload' } }), ok: true },
    { name: 'command reload, a typo', message: request('command', { command: { type: 'reloads' } }), ok: false },
    { name: 'command send-line', message: request('command', { command: { type: 'send-line', name: 'web.1', text: 'rs' } }), ok: true },
    {
      name: 'command send two lines',
      message: request('command', { command: { type: 'send-line', name: 'web.1', text: 'a\nb' } }),
      ok: false,
    },
    { name: 'command write', message: request('command', { command: { type: 'write', name: 'web.1', data: '\u0003' } }), ok: true },
    {
      name: 'command resize',
      message: request('command', { command: { type: 'resize', columns: 80, rows: 24, except: 'web.1' } }),
      ok: true,
    },
    { name: 'command resize to 0', message: request('command', { command: { type: 'resize', columns: 0, rows: 24 } }), ok: false },
    {
      name: 'command resize-one',
      message: request('command', { command: { type: 'resize-one', name: 'web.1', columns: 80, rows: 24 } }),
      ok: true,
    },
    { name: 'command clear-logs (all)', message: request('command', { command: { type: 'clear-logs' } }), ok: true },
    { name: 'command stop without a name', message: request('command', { command: { type: 'stop' } }), ok: false, contains: '"name"' },
    {
      name: 'command of an unknown type',
      message: request('command', { command: { type: 'explode' } }),
      ok: false,
      contains: 'unknown command',
    },
    { name: 'command missing', message: request('command', {}), ok: false },
    { name: 'subscribe process', message: request('subscribe', { topic: 'process' }), ok: true },
    { name: 'subscribe lines', message: request('subscribe', { topic: 'lines' }), ok: true },
    { name: 'subscribe usage', message: request('subscribe', { topic: 'usage' }), ok: true },
    { name: 'subscribe cleared', message: request('subscribe', { topic: 'cleared' }), ok: true },
  ])('$name', ({ message, ok, contains }) => {
    const result = readClientMessage(message);
    expect(result.kind).toBe(ok ? 'request' : 'bad-request');
    if (contains !== undefined) expect('message' in result ? result.message : '').toContain(contains);
  });

  it('hands over clean args', () => {
    const result = readClientMessage(request('command', { command: { type: 'kill', name: 'web.1', extra: 1 }, more: 2 }));
    expect(result).toEqual({
      kind: 'request',
      request: { type: 'request', id: 3, op: 'command', args: { command: { type: 'kill', name: 'web.1' } } },
    });
  });
});

describe('negotiate', () => {
  it('picks the highest shared version', () => {
    expect(negotiate([1])).toBe(1);
    expect(negotiate([1, 7])).toBe(1);
    expect(negotiate([1, 2])).toBe(2);
    expect(negotiate([1, 2], [1, 2])).toBe(2);
  });

  it('explains a mismatch', () => {
    expect(negotiate([3, 4])).toEqual({
      type: 'error',
      code: 'version',
      message: 'this devrun speaks protocol 1, 2; the client speaks 3, 4: use the same devrun version',
    });
  });
});

describe('readServerMessage', () => {
  it.each<{ name: string; message: JsonObject; kind: string }>([
    { name: 'hello', message: { type: 'hello', version: 1, devrun: '0.1.0', pid: 42 }, kind: 'hello' },
    { name: 'hello without pid', message: { type: 'hello', version: 1, devrun: '0.1.0' }, kind: 'invalid' },
    { name: 'error', message: { type: 'error', code: 'version', message: 'no' }, kind: 'error' },
    { name: 'error without message', message: { type: 'error', code: 'version' }, kind: 'invalid' },
    { name: 'success', message: { type: 'response', id: 1, ok: true, result: null }, kind: 'response' },
    { name: 'failure', message: { type: 'response', id: 1, ok: false, error: { code: 'x', message: 'y' } }, kind: 'response' },
    {
      name: 'failure for an unreadable id',
      message: { type: 'response', id: null, ok: false, error: { code: 'x', message: 'y' } },
      kind: 'response',
    },
    { name: 'failure without error', message: { type: 'response', id: 1, ok: false }, kind: 'invalid' },
    { name: 'response without id', message: { type: 'response', ok: true }, kind: 'invalid' },
    { name: 'an event', message: { type: 'event', subscription: 1, topic: 'logs', lines: [] }, kind: 'event' },
    { name: 'an event without subscription', message: { type: 'event', topic: 'logs' }, kind: 'invalid' },
    { name: 'a message type of a later devrun', message: { type: 'notice', text: 'hi' }, kind: 'other' },
  ])('$name -> $kind', ({ message, kind }) => {
    expect(readServerMessage(message).kind).toBe(kind);
  });
});
