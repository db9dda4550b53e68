// The controller's end of one agent: a child process (ssh, or any argv that runs `faultline agent
// --stdio`) spoken to in line-delimited JSON. It checks the agent's version at connect, measures the
// host's clock offset, keeps the agent's dead-man timer wound, and notices when the channel is lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { FaultlineError } from '../errors.js';
import { AGENT_PROTOCOL, createLineSplitter, type AgentEvent, type AgentHello, type AgentRequest, type AgentResponse } from '../agent/protocol.js';
import { epochMs, monotonicMs, roundMs } from '../util/clock.js';
import { getVersion } from '../util/package-root.js';

/** The host's clock against the controller's: host epoch ms − controller epoch ms, ± uncertainty (half the best round trip). */
export interface ClockOffset {
  offsetMs: number;
  uncertaintyMs: number;
  samples: number;
}

/** A failure to reach or keep an agent: the run records it per host. */
export class AgentConnectionError extends FaultlineError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('E_AGENT', message, { ...options, exitCode: 3 });
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer?: NodeJS.Timeout };
type RequestBody<O extends AgentRequest['op']> = Omit<Extract<AgentRequest, { op: O }>, 'id' | 'op'>;

/** Options of a connection. */
export interface ConnectOptions {
  /** The agent's dead-man interval: it rolls back when it hears nothing this long. */
  deadmanMs: number;
  /** Bound of the connect (ssh handshake, agent start, hello). */
  connectTimeoutMs: number;
  /** The agent's journal events, as they come. */
  onEvent?: (event: AgentEvent) => void;
  /** Name in messages. */
  label: string;
}

/** One agent reached through a child process. */
export class AgentConnection {
  readonly label: string;
  readonly hello: AgentHello;
  readonly clock: ClockOffset;
  /** How long connect took (ms): spawn, handshake, hello, clock samples. */
  readonly connectMs: number;
  readonly #link: AgentLink;

  private constructor(link: AgentLink, hello: AgentHello, clock: ClockOffset, connectMs: number, label: string) {
    this.#link = link;
    this.hello = hello;
    this.clock = clock;
    this.connectMs = connectMs;
    this.label = label;
  }

  /** Starts the agent, checks it is this faultline's version and protocol, and measures its clock. */
  static async connect(argv: readonly string[], options: ConnectOptions): Promise<AgentConnection> {
    const start = monotonicMs();
    const link = new AgentLink(argv, options);
    try {
      const hello = (await link.request('hello', { version: getVersion(), protocol: AGENT_PROTOCOL, deadmanMs: options.deadmanMs }, options.connectTimeoutMs)) as AgentHello;
      if (hello.version !== getVersion()) {
        throw new AgentConnectionError(`${options.label}: its agent is faultline ${hello.version}, this controller ${getVersion()}`, { hint: `install faultline ${getVersion()} on ${options.label} (the agent runs its own registries: they must be the same)` });
      }
      const clock = await measureClockOffset(link, 5);
      link.startHeartbeat(Math.max(100, Math.floor(options.deadmanMs / 4)));
      return new AgentConnection(link, hello, clock, roundMs(monotonicMs() - start), options.label);
    } catch (error) {
      link.kill();
      throw error;
    }
  }

  /** Sends a request and waits for its answer (no bound unless `timeoutMs`). */
  request<O extends AgentRequest['op']>(op: O, body: RequestBody<O>, timeoutMs?: number): Promise<unknown> {
    return this.#link.request(op, body, timeoutMs);
  }

  /** Why the channel was lost, once it was (undefined while it holds). */
  get lostReason(): string | undefined {
    return this.#link.lostReason;
  }

  /** Resolves when the channel is lost or closed. */
  get lost(): Promise<string> {
    return this.#link.lost;
  }

  /** Says bye and waits for the agent to exit (bounded); kills the ssh client if it lingers. */
  async close(timeoutMs = 5_000): Promise<void> {
    await this.#link.close(timeoutMs);
  }
}

/** The process and its request table. */
class AgentLink {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #label: string;
  #nextId = 1;
  #heartbeat: NodeJS.Timeout | undefined;
  #stderr = '';
  lostReason: string | undefined;
  readonly lost: Promise<string>;
  #markLost!: (reason: string) => void;

  constructor(argv: readonly string[], options: ConnectOptions) {
    this.#label = options.label;
    this.lost = new Promise((resolve) => {
      this.#markLost = (reason) => {
        if (this.lostReason !== undefined) return;
        this.lostReason = reason;
        clearInterval(this.#heartbeat);
        for (const pending of this.#pending.values()) {
          clearTimeout(pending.timer);
          pending.reject(new AgentConnectionError(`${this.#label}: ${reason}`));
        }
        this.#pending.clear();
        resolve(reason);
      };
    });
    this.#child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdin!.on('error', () => {});
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      // The last few kB of what ssh or the agent said, for the message when it goes away.
      this.#stderr = `${this.#stderr}${chunk.toString()}`.slice(-4000);
    });
    this.#child.stdout!.on('data', createLineSplitter((line) => this.#onLine(line), () => this.#markLost('the agent sent a line longer than the protocol allows')));
    this.#child.on('error', (error) => this.#markLost(`could not start ${argv[0]}: ${error.message}`));
    this.#child.on('exit', (code, signal) => {
      const said = this.#stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
      this.#markLost(`the channel closed (${signal ? `signal ${signal}` : `exit ${code}`})${said ? `: ${said}` : ''}`);
    });
    this.onEvent = options.onEvent;
  }

  onEvent: ((event: AgentEvent) => void) | undefined;

  #onLine(line: string): void {
    let message: AgentResponse | AgentEvent;
    try {
      message = JSON.parse(line) as AgentResponse | AgentEvent;
    } catch {
      return; // Not protocol (a login banner on stdout): ignored.
    }
    if ('event' in message) {
      this.onEvent?.(message);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new AgentConnectionError(`${this.#label}: ${message.error.message}`));
  }

  request(op: AgentRequest['op'], body: object, timeoutMs?: number): Promise<unknown> {
    if (this.lostReason !== undefined) return Promise.reject(new AgentConnectionError(`${this.#label}: ${this.lostReason}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      if (timeoutMs !== undefined) {
        pending.timer = setTimeout(() => {
          this.#pending.delete(id);
          reject(new AgentConnectionError(`${this.#label}: no answer to ${op} within ${timeoutMs} ms${this.#stderr ? ` (${this.#stderr.trim().split('\n').slice(-2).join(' | ')})` : ''}`));
        }, timeoutMs);
      }
      this.#pending.set(id, pending);
      this.#child.stdin!.write(`${JSON.stringify({ id, op, ...body })}\n`);
    });
  }

  startHeartbeat(everyMs: number): void {
    this.#heartbeat = setInterval(() => {
      this.request('ping', {}).catch(() => {});
    }, everyMs);
    this.#heartbeat.unref();
  }

  async close(timeoutMs: number): Promise<void> {
    clearInterval(this.#heartbeat);
    if (this.lostReason === undefined) {
      await this.request('bye', {}, timeoutMs).catch(() => {});
      this.#child.stdin!.end();
      const timer = setTimeout(() => this.kill(), timeoutMs);
      await this.lost;
      clearTimeout(timer);
    }
  }

  kill(): void {
    clearInterval(this.#heartbeat);
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
  }
}

// NTP's estimate over a few exchanges: offset = host time − midpoint of send and receive; the best
// (shortest) round trip bounds the error by half of it.
async function measureClockOffset(link: AgentLink, samples: number): Promise<ClockOffset> {
  let best: { offset: number; rtt: number } | undefined;
  for (let index = 0; index < samples; index += 1) {
    const sent = monotonicMs();
    const { t } = (await link.request('clock', {}, 10_000)) as { t: number };
    const received = monotonicMs();
    const rtt = received - sent;
    const offset = t - epochMs((sent + received) / 2);
    if (!best || rtt < best.rtt) best = { offset, rtt };
  }
  return { offsetMs: roundMs(best!.offset), uncertaintyMs: roundMs(best!.rtt / 2), samples };
}
