// One event stream per run: the runner emits, listeners (journal, terminal, dashboard, history, the
// summary fold) receive every event in the order it happened.
import { epochMs } from '../util/clock.js';
import { getErrorMessage } from '../errors.js';
import type { RunEvent, RunEventData, RunEventListener, RunEventType } from './types.js';

/** Accepts a listener object or a plain function. */
export type ListenerLike = RunEventListener | ((event: RunEvent) => void);

/** The stream of one run. */
export class RunEventStream {
  readonly #listeners: RunEventListener[] = [];
  #queued: RunEvent[] = [];
  #flushing: NodeJS.Immediate | undefined;
  #closed = false;
  /** Problems of listeners that threw (each is dropped after its first throw): the run reports them. */
  readonly listenerErrors: string[] = [];

  constructor(listeners: readonly ListenerLike[] = []) {
    for (const listener of listeners) this.subscribe(listener);
  }

  /** Adds a listener; it receives events emitted from now on. Returns a function that removes it. */
  subscribe(listener: ListenerLike): () => void {
    const entry = typeof listener === 'function' ? { onEvent: listener } : listener;
    this.#listeners.push(entry);
    return () => {
      const index = this.#listeners.indexOf(entry);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  /** Emits an event stamped now (after whatever emitSoon queued, so order is kept). */
  emit<K extends RunEventType>(type: K, data: RunEventData[K]): RunEvent<K> {
    this.flush();
    const event = { t: epochMs(), type, ...data } as unknown as RunEvent<K>;
    this.#dispatch(event);
    return event;
  }

  /**
   * Stamps an event now and hands it to listeners once the current turn of the event loop is done:
   * while faultline samples, serialising and writing would delay the timestamps of the checks
   * waiting behind them. Order is kept (`emit` dispatches what is queued first).
   */
  emitSoon<K extends RunEventType>(type: K, data: RunEventData[K]): RunEvent<K> {
    const event = { t: epochMs(), type, ...data } as unknown as RunEvent<K>;
    if (this.#closed) return event;
    this.#queued.push(event);
    this.#flushing ??= setImmediate(() => this.flush());
    return event;
  }

  /** Dispatches what emitSoon queued. */
  flush(): void {
    if (this.#flushing) clearImmediate(this.#flushing);
    this.#flushing = undefined;
    const events = this.#queued;
    this.#queued = [];
    for (const event of events) this.#dispatch(event);
  }

  /** Flushes, then closes every listener; later events are dropped. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    for (const listener of [...this.#listeners]) {
      try {
        listener.close?.();
      } catch (error) {
        this.listenerErrors.push(`a listener failed to close: ${getErrorMessage(error)}`);
      }
    }
  }

  #dispatch(event: RunEvent): void {
    if (this.#closed) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener.onEvent(event);
      } catch (error) {
        // A broken listener (a dashboard client gone, a full disk under the history) must not stop the run, or the others.
        this.listenerErrors.push(`a listener failed on ${event.type} and was dropped: ${getErrorMessage(error)}`);
        const index = this.#listeners.indexOf(listener);
        if (index >= 0) this.#listeners.splice(index, 1);
      }
    }
  }
}
