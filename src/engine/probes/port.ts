import { connect, type Socket } from 'node:net';

/** Where a local server listens: Node >= 17 resolves `localhost` to ::1 first, older servers bind 127.0.0.1. */
const LOOPBACK = ['127.0.0.1', '::1'];

/** True when a TCP connect to the port succeeds on either loopback address within timeoutMs. */
export function portAccepts(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let failures = 0;
    const sockets: Socket[] = [];
    const finish = (open: boolean) => {
      clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      resolve(open);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    timer.unref();
    for (const host of LOOPBACK) {
      const socket = connect({ host, port });
      sockets.push(socket);
      socket.once('connect', () => finish(true));
      // No IPv6 on the machine fails the same way as nothing listening.
      socket.once('error', () => {
        failures += 1;
        if (failures === LOOPBACK.length) finish(false);
      });
    }
  });
}
