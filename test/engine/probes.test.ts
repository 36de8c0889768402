import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpAnswers } from '../../src/engine/probes/http.js';
import { logMatcher } from '../../src/engine/probes/log.js';
import { portAccepts } from '../../src/engine/probes/port.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A real HTTP server on host, answering with `status` (or never, for `hang`). */
async function serve(host: string, status: number | 'hang' = 200): Promise<number> {
  const server = createServer((_req, res) => {
    if (status === 'hang') return;
    res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {}).end('body');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (just freed). */
async function closedPort(): Promise<number> {
  const port = await serve('127.0.0.1');
  const server = servers.pop()!;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  return port;
}

describe('port probe (real sockets)', () => {
  it('passes for a server on 127.0.0.1 and for one on ::1 only (Node >= 17 binds localhost there)', async () => {
    expect(await portAccepts(await serve('127.0.0.1'), 2000)).toBe(true);
    expect(await portAccepts(await serve('::1'), 2000)).toBe(true);
  });

  it('fails for a port nothing listens on', async () => {
    expect(await portAccepts(await closedPort(), 2000)).toBe(false);
  });
});

describe('http probe (real server)', () => {
  const OK = { min: 200, max: 399 };
  it('passes on a status in the range (a redirect is not followed), fails outside it', async () => {
    expect(await httpAnswers(`http://127.0.0.1:${await serve('127.0.0.1', 200)}/health`, OK, 2000)).toBe(true);
    expect(await httpAnswers(`http://127.0.0.1:${await serve('127.0.0.1', 302)}/`, OK, 2000)).toBe(true);
    expect(await httpAnswers(`http://127.0.0.1:${await serve('127.0.0.1', 503)}/`, OK, 2000)).toBe(false);
    expect(await httpAnswers(`http://127.0.0.1:${await serve('127.0.0.1', 503)}/`, { min: 503, max: 503 }, 2000)).toBe(true);
  });

  it('an IPv6 URL and localhost work; nothing listening fails', async () => {
    expect(await httpAnswers(`http://[::1]:${await serve('::1')}/`, OK, 2000)).toBe(true);
    expect(await httpAnswers(`http://localhost:${await serve('localhost')}/`, OK, 2000)).toBe(true);
    expect(await httpAnswers(`http://127.0.0.1:${await closedPort()}/`, OK, 2000)).toBe(false);
  });

  it('a server that never answers fails after the try timeout', async () => {
    const port = await serve('127.0.0.1', 'hang');
    const started = Date.now();
    expect(await httpAnswers(`http://127.0.0.1:${port}/`, OK, 300)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    servers.at(-1)!.closeAllConnections();
  });
});

describe('log probe', () => {
  it.each([
    ['listening on \\d+', 'Server listening on 3000', true],
    ['listening on \\d+', '\x1b[32mlistening on \x1b[1m3000\x1b[0m', true],
    ['^ready$', 'ready', true],
    ['^ready$', 'not ready', false],
  ])('/%s/ on %j: %s', (pattern, line, want) => expect(logMatcher(pattern)(line)).toBe(want));
});
