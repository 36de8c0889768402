import http from 'node:http';
import https from 'node:https';

/**
 * True when a GET of the URL is answered with a status in [min, max] within timeoutMs. Redirects are not
 * followed (a 302 is a 302); the connection is not kept; https certificates are not checked (a dev
 * server's is self-signed).
 */
export function httpAnswers(url: string, status: { min: number; max: number }, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let request: http.ClientRequest | undefined;
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      request?.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    timer.unref();
    const onResponse = (response: http.IncomingMessage) => {
      response.resume();
      finish(response.statusCode !== undefined && response.statusCode >= status.min && response.statusCode <= status.max);
    };
    const target = new URL(url);
    const headers = { 'user-agent': 'devrun ready probe' };
    request =
      target.protocol === 'https:'
        ? https.get(target, { agent: false, headers, rejectUnauthorized: false }, onResponse)
        : http.get(target, { agent: false, headers }, onResponse);
    request.once('error', () => finish(false));
  });
}
