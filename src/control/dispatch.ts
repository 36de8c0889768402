/**
 * Carries out one valid request on the ControlTarget and says what to answer.
 *
 * - Names are resolved here, through the target, before any action: a name that matches nothing fails
 *   the whole request with `unknown-process` (nothing is done), and the target's action methods only
 *   ever see process names. The result lists the processes acted on.
 * - `send` needs a name that resolves to exactly one process (`web` with two instances is refused).
 * - `shutdown` answers when the target's promise resolves; concurrent shutdown requests (from any
 *   connection) share one call to the target.
 * - Whatever the target throws (or a shutdown rejecting) becomes an `internal` failure: the server
 *   never throws because of a request.
 */
import type { Failure, NamesOp, Ops, Request, ResolveResult } from './protocol.js';
import type { ControlTarget } from './target.js';

export type Outcome = { ok: true; result: unknown } | { ok: false; error: Failure };

/** How many known names an unknown-process message lists before "…". */
const KNOWN_IN_MESSAGE = 20;

export class Dispatcher {
  private readonly target: ControlTarget;
  private shutdownPromise: Promise<void> | undefined;

  constructor(target: ControlTarget) {
    this.target = target;
  }

  /** A plain outcome when the answer is immediate, a promise for shutdown. Never throws or rejects. */
  dispatch(request: Request): Outcome | Promise<Outcome> {
    try {
      switch (request.op) {
        case 'status':
          return ok(this.target.status());
        case 'resolve':
          return ok(this.resolve(request.args.names));
        case 'restart':
        case 'stop':
        case 'kill':
        case 'start':
          return this.act(request.op, request.args.names);
        case 'send':
          return this.send(request.args);
        case 'shutdown':
          return this.shutdown();
      }
    } catch (error) {
      return internal(error);
    }
  }

  private resolve(names: string[]): ResolveResult {
    const resolved = this.target.resolve(names);
    if ('names' in resolved) return { names: resolved.names };
    return resolved;
  }

  private act(op: NamesOp, names: string[]): Outcome {
    const resolved = this.resolve(names);
    if (!('names' in resolved)) return unknownProcess(resolved);
    this.target[op](resolved.names);
    return ok({ names: resolved.names } satisfies Ops[NamesOp]['result']);
  }

  private send({ name, text }: Ops['send']['args']): Outcome {
    const resolved = this.resolve([name]);
    if (!('names' in resolved)) return unknownProcess(resolved);
    const [only, ...others] = resolved.names;
    if (only === undefined || others.length > 0) {
      return fail('bad-request', `"${name}" is ${resolved.names.length} processes (${resolved.names.join(', ')}): send to one of them`);
    }
    this.target.send(only, text);
    return ok({ name: only } satisfies Ops['send']['result']);
  }

  private async shutdown(): Promise<Outcome> {
    try {
      this.shutdownPromise ??= this.target.shutdown();
      await this.shutdownPromise;
      return ok(null);
    } catch (error) {
      // A failed shutdown may be asked again.
      this.shutdownPromise = undefined;
      return internal(error);
    }
  }
}

function ok(result: unknown): Outcome {
  return { ok: true, result };
}

function fail(code: Failure['code'], message: string, details?: unknown): Outcome {
  const error: Failure = { code, message };
  if (details !== undefined) error.details = details;
  return { ok: false, error };
}

function internal(error: unknown): Outcome {
  return fail('internal', error instanceof Error ? error.message : String(error));
}

function unknownProcess(resolved: Exclude<ResolveResult, { names: string[] }>): Outcome {
  const { unknown, suggestion, known } = resolved;
  const hint =
    suggestion !== null
      ? `did you mean "${suggestion}"?`
      : known.length === 0
        ? 'there are no processes'
        : `processes: ${known.slice(0, KNOWN_IN_MESSAGE).join(', ')}${known.length > KNOWN_IN_MESSAGE ? ', …' : ''}`;
  return fail('unknown-process', `no process named "${unknown}": ${hint}`, { unknown, suggestion, known });
}
