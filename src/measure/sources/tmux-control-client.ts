// One tmux control-mode client (tmux(1) CONTROL MODE): commands go to its stdin, replies come back as
// `%begin … %end` / `%error` blocks, and notifications (%sessions-changed, %window-close, …) arrive unprompted.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { monotonicMs } from '../../util/clock.js';
import { getTmuxEnv, openTmuxSocket, type TmuxSocket } from '../../targets/tmux.js';

/** A command's reply: its output lines, and whether tmux answered %end (ok) or %error. */
export interface ControlReply {
  ok: boolean;
  lines: string[];
  /** Round trip, ms: command written → reply read. */
  rttMs: number;
  /** Sent before the client was attached: its round trip includes the attach. */
  early: boolean;
}

/** What the owner of a client hears about. */
export interface ControlHandlers {
  /** A notification line (not a reply), with its monotonic arrival time. */
  onNotification(line: string, at: number): void;
  /** The client is gone (detached, server died, killed); `at` is when faultline saw its output end. */
  onExit(at: number, reason: string): void;
}

interface Pending {
  resolve(reply: ControlReply): void;
  reject(error: Error): void;
  sentAt: number;
  early: boolean;
  timer: NodeJS.Timeout;
}

// attach-session flags: read-only, never resizes the target's windows, no %output flood.
// -N (given with every command): never start a server (attach-session would otherwise start one on the target's socket).
const ATTACH_COMMAND = ['attach-session', '-f', 'read-only,ignore-size,no-output'];

// The standby's whole program: wait for one line on stdin, then become the tmux client. `read` takes
// its line byte by byte, so nothing meant for tmux is swallowed; end of stdin instead leaves quietly.
const STANDBY_SCRIPT = 'read _ || exit 0; exec tmux "$@"';

function spawnClient(socket: TmuxSocket, command: readonly string[], standby: boolean): ChildProcessWithoutNullStreams {
  // The socket is checked and pinned as fd 3 (see openTmuxSocket): nothing swapped in later is connected to.
  const handle = openTmuxSocket(socket);
  try {
    const args = [...handle.args, '-N', '-C', ...command];
    const stdio: ('pipe' | number)[] = handle.fd === undefined ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe', handle.fd];
    const options = { env: getTmuxEnv(), stdio, ...(handle.uid === undefined ? {} : { uid: handle.uid, gid: handle.gid }) };
    return (standby ? spawn('/bin/sh', ['-c', STANDBY_SCRIPT, 'faultline-standby', ...args], options) : spawn('tmux', args, options)) as ChildProcessWithoutNullStreams;
  } finally {
    handle.close();
  }
}

/**
 * A control client forked in advance: a tiny shell that only has to exec tmux when told. Forking
 * from Node costs milliseconds (tens on a loaded host); exec from a waiting shell costs far less,
 * so a re-attach the moment a session appears starts without the fork on its critical path.
 */
export class StandbyClient {
  readonly child: ChildProcessWithoutNullStreams;
  private gone = false;
  private taken = false;

  constructor(readonly socket: TmuxSocket, readonly command: readonly string[] = ATTACH_COMMAND) {
    this.child = spawnClient(socket, command, true);
    this.child.stdin.on('error', () => undefined);
    this.child.once('exit', () => (this.gone = true));
    this.child.once('error', () => (this.gone = true));
  }

  /** True while it waits, unused, and can still become a client. */
  get usable(): boolean {
    return !this.gone && !this.taken && this.child.exitCode === null;
  }

  /** Hands the process over (once): the caller tells it to exec. */
  take(): ChildProcessWithoutNullStreams | undefined {
    if (!this.usable) return undefined;
    this.taken = true;
    return this.child;
  }

  /** Lets an unused standby leave (end of its stdin), killing it if it lingers. */
  dispose(): void {
    if (this.taken) return;
    this.taken = true;
    this.child.stdin.end();
    const timer = setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }, 500);
    timer.unref();
    this.child.once('exit', () => clearTimeout(timer));
  }
}

/**
 * A long-lived `tmux -C attach-session` client. It is spawned directly with an argument array
 * (no shell, and not execa: it streams for the whole run). Faultline only sends read-only commands
 * through it; a read-only client changes nothing on the target but its own attachment.
 */
export class TmuxControlClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly decoder = new StringDecoder('utf8');
  private block: { key: string; ours: boolean; lines: string[] } | undefined;
  private readonly pending: Pending[] = [];
  private stderr = '';
  private exited = false;
  private endedAt: number | undefined;
  private readonly ready: Promise<void>;
  private attached = false;

  private constructor(socket: TmuxSocket, private readonly handlers: ControlHandlers, command: readonly string[], standby?: StandbyClient) {
    const waiting = standby && standby.command.join('\0') === command.join('\0') ? standby.take() : undefined;
    this.child = waiting ?? spawnClient(socket, command, false);
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-500)));
    this.child.stdin.on('error', () => undefined);
    this.ready = new Promise((resolve, reject) => {
      this.onReady = () => {
        this.attached = true;
        resolve();
      };
      this.onFail = reject;
    });
    // The time is taken first, at the first byte read: decoding and parsing come after it.
    this.child.stdout.on('data', (chunk: Buffer) => {
      const at = monotonicMs();
      this.read(this.decoder.write(chunk), at);
    });
    // Without a %exit line, the end of its output is the earliest sign the client is gone; 'close' comes once stderr is read too.
    this.child.stdout.on('end', () => (this.endedAt ??= monotonicMs()));
    this.child.on('error', (error) => this.finish(monotonicMs(), `cannot run tmux: ${error.message}`));
    this.child.on('close', () => this.finish(this.endedAt ?? monotonicMs(), 'control client exited'));
    // The standby becomes tmux now (it was forked already).
    if (waiting) {
      // Forked earlier, it has the priority faultline had then: give it the one faultline has now, as a fresh fork would.
      try {
        if (this.child.pid !== undefined) setPriority(this.child.pid, getPriority());
      } catch {
        // Not allowed: it keeps the priority it was forked with.
      }
      this.child.stdin.write('\n');
    }
  }

  private onReady: () => void = () => undefined;
  private onFail: (error: Error) => void = () => undefined;

  /**
   * Attaches a control client; rejects with tmux's own message ("no sessions", "no server running …").
   * `command`: what the client runs instead of attaching (the reply to it is the ready signal).
   * `standby`: a process forked in advance for the same socket and command, used when still usable.
   */
  static connect(socket: TmuxSocket, handlers: ControlHandlers, timeoutMs = 2000, command: readonly string[] = ATTACH_COMMAND, standby?: StandbyClient): Promise<TmuxControlClient> {
    return TmuxControlClient.start(socket, handlers, timeoutMs, command, standby).attached;
  }

  /**
   * Like connect, but hands out the client at once: commands sent before it is attached wait in its
   * input and are answered right after the attach, saving a round trip (they fail if the attach does).
   */
  static start(socket: TmuxSocket, handlers: ControlHandlers, timeoutMs = 2000, command: readonly string[] = ATTACH_COMMAND, standby?: StandbyClient): { client: TmuxControlClient; attached: Promise<TmuxControlClient> } {
    const client = new TmuxControlClient(socket, handlers, command, standby);
    return { client, attached: client.awaitAttach(timeoutMs) };
  }

  private async awaitAttach(timeoutMs: number): Promise<TmuxControlClient> {
    const client = this as TmuxControlClient;
    const timer = setTimeout(() => client.onFail(new Error(`tmux control client not attached after ${timeoutMs} ms`)), timeoutMs);
    try {
      await client.ready;
      return client;
    } catch (error) {
      client.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The client's process id (for CPU accounting). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once tmux accepted the attach (or the client's own command). */
  get wasAttached(): boolean {
    return this.attached;
  }

  /** True until the client has exited. */
  get alive(): boolean {
    return !this.exited;
  }

  /** Sends one command line; a reply slower than `timeoutMs` kills the client (replies are matched in order). */
  command(line: string, timeoutMs = 1000): Promise<ControlReply> {
    if (this.exited) return Promise.reject(new Error('tmux control client is not connected'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        this.finish(monotonicMs(), `tmux did not answer within ${timeoutMs} ms`);
      }, timeoutMs);
      this.pending.push({ resolve, reject, sentAt: monotonicMs(), early: !this.attached, timer });
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Detaches (end of stdin), then kills the client if it lingers (also one that said %exit and did not leave). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), 500);
    await gone;
    clearTimeout(timer);
  }

  private kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private read(chunk: string, at: number): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      this.readLine(line, at);
    }
  }

  private readLine(line: string, at: number): void {
    if (this.block) {
      const [word, time, number] = line.split(' ');
      if ((word === '%end' || word === '%error') && `${time} ${number}` === this.block.key) {
        const { ours, lines } = this.block;
        this.block = undefined;
        this.settle(ours, word === '%end', lines, at);
      } else this.block.lines.push(line);
      return;
    }
    if (line.startsWith('%begin ')) {
      const [, time, number, flags] = line.split(' ');
      // flags 1 = a command this client sent; 0 = the attach itself (or another source).
      this.block = { key: `${time} ${number}`, ours: flags === '1', lines: [] };
      return;
    }
    if (line.startsWith('%output ') || line.startsWith('%extended-output ')) return;
    // %exit is this client's own last line, not a change on the server: it ends the client (its
    // earliest sign, before the output ends). As a notification, every failed attach ("no sessions")
    // re-triggered the checks, whose next attach failed again: a loop of tmux processes.
    if (line === '%exit' || line.startsWith('%exit ')) {
      this.finish(at, line.slice('%exit '.length) || 'control client exited');
      return;
    }
    if (line.startsWith('%')) this.handlers.onNotification(line, at);
  }

  private settle(ours: boolean, ok: boolean, lines: string[], at: number): void {
    if (!ours) {
      if (ok) this.onReady();
      else this.onFail(new Error(lines.join(' ') || 'attach failed'));
      return;
    }
    const pending = this.pending.shift();
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.resolve({ ok, lines, rttMs: at - pending.sentAt, early: pending.early });
  }

  private finish(at: number, reason: string): void {
    if (this.exited) return;
    this.exited = true;
    const why = this.stderr.trim().split('\n').pop() || reason;
    this.onFail(new Error(why));
    for (const pending of this.pending.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`tmux control client gone: ${why}`));
    }
    this.handlers.onExit(at, why);
  }
}
