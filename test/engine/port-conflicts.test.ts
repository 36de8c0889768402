import { describe, expect, it } from 'vitest';
import { portInUse } from '../../src/engine/port-conflicts.js';

describe('portInUse', () => {
  it.each([
    ['Error: listen EADDRINUSE: address already in use :::5077', 5077],
    ['Error: listen EADDRINUSE: address already in use 127.0.0.1:3000', 3000],
    ['listen tcp :8080: bind: address already in use', 8080],
    ['Address already in use - bind(2) for "127.0.0.1" port 3001 (Errno::EADDRINUSE)', 3001],
    // no port in the line: the process's PORT
    ['OSError: [Errno 98] Address already in use', 5000],
    // a timestamp's minutes and seconds are not a port
    ['12:34:56 OSError: [Errno 98] Address already in use', 5000],
  ])('%s -> %d', (line, port) => {
    expect(portInUse(line, 5000)).toBe(port);
  });

  it('other lines: undefined', () => {
    expect(portInUse('listening on http://localhost:5000', 5000)).toBeUndefined();
    expect(portInUse('the disk is in use', 5000)).toBeUndefined();
  });
});
