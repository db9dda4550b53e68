// Observes a tmux server that has no session, where no control client can attach: a control client
// that runs `wait-for` on a private channel stays connected without a session, and tmux tells every
// control client `%sessions-changed` — the moment a session exists. Nothing of the target changes: no
// session, no process on its side; the channel is signalled on stop, so tmux forgets it again.
import { randomBytes } from 'node:crypto';
import { runTmux, type TmuxSocket } from '../../targets/tmux.js';
import { monotonicMs } from '../../util/clock.js';
import { TmuxControlClient } from './tmux-control-client.js';

/** What the owner of a session watch hears about (monotonic ms). */
export interface SessionWatchHandlers {
  /** The server announced a session created, renamed or destroyed. */
  onSessionsChanged(at: number): void;
  /** The watch ended (server gone, stopped); `at` is when its output ended. */
  onExit(at: number): void;
}

// How long a signalled waiter may take to leave before it is killed.
const LEAVE_MS = 500;

/** One waiting control client; `ready` resolves once the server has registered it (from then on it hears every session change). */
export class TmuxSessionWatch {
  private readonly channel = `faultline-observer-${process.pid}-${randomBytes(4).toString('hex')}`;
  private client: TmuxControlClient | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(private readonly socket: TmuxSocket) {}

  /** Starts a waiting client; resolves with the watch and the moment it was registered, or rejects with tmux's message. */
  static async start(socket: TmuxSocket, handlers: SessionWatchHandlers, timeoutMs = 2000): Promise<{ watch: TmuxSessionWatch; readyAt: number }> {
    const watch = new TmuxSessionWatch(socket);
    watch.client = await TmuxControlClient.connect(socket, {
      onNotification: (line, at) => {
        if (line.startsWith('%sessions-changed')) handlers.onSessionsChanged(at);
      },
      onExit: (at) => handlers.onExit(at),
    }, timeoutMs, ['wait-for', watch.channel]);
    return { watch, readyAt: monotonicMs() };
  }

  /** The waiting client's pid (CPU accounting). */
  get pid(): number | undefined {
    return this.client?.alive ? this.client.pid : undefined;
  }

  /** Wakes the waiting client (its wait-for returns and it leaves by itself, and tmux drops the channel). */
  stop(): Promise<void> {
    this.stopping ??= this.leave();
    return this.stopping;
  }

  private async leave(): Promise<void> {
    const client = this.client;
    if (!client?.alive) return;
    // Signalling a channel nobody waits on would leave it behind as "woken": only while ours waits.
    await runTmux(this.socket, ['wait-for', '-S', this.channel], { timeoutMs: LEAVE_MS }).catch(() => undefined);
    await client.close();
  }
}
