import { ControlClient } from '../../src/control/client.js';
import { RawPeer } from './raw-peer.js';

/** Clients for a test's server, each closed by the test's cleanups (run in reverse after each test). */
export function peers(cleanups: (() => unknown)[]) {
  return {
    async connect(path: string): Promise<ControlClient> {
      const client = await ControlClient.connect(path, { timeoutMs: 5000 });
      cleanups.push(() => client.close());
      return client;
    },
    async raw(path: string, options?: { read?: boolean }): Promise<RawPeer> {
      const peer = await RawPeer.connect(path, options);
      cleanups.push(() => peer.destroy());
      return peer;
    },
  };
}

/** One request frame, as a raw peer writes it. */
export const request = (id: number, op: string, args?: unknown): string => `${JSON.stringify({ type: 'request', id, op, args })}\n`;
