// Keeps one control client forked in advance for a tmux server, replaced a little after it is used.
import type { TmuxSocket } from '../../targets/tmux.js';
import { StandbyClient } from './tmux-control-client.js';

// A used standby is replaced this long after: forking blocks the event loop, so not while the new client's first replies come in.
const STANDBY_REFILL_MS = 50;

/** One standby client at a time; `wanted()`: whether a new one is still needed when the refill is due. */
export class StandbyKeeper {
  private standby: StandbyClient | undefined;
  private refillTimer: NodeJS.Timeout | undefined;

  constructor(private readonly socket: TmuxSocket, private readonly wanted: () => boolean) {}

  /** The standby for the next attach (it may already be used or dead: the attach then forks). */
  get current(): StandbyClient | undefined {
    return this.standby;
  }

  /** Replaces a used or dead standby a little later (the fork is kept off the critical path). */
  refill(): void {
    if (this.standby?.usable || this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      if (!this.wanted() || this.standby?.usable) return;
      this.standby = new StandbyClient(this.socket);
    }, STANDBY_REFILL_MS);
    this.refillTimer.unref();
  }

  /** Lets the standby go and cancels a refill. */
  drop(): void {
    clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
    this.standby?.dispose();
    this.standby = undefined;
  }
}
