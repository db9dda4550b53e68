// The spans of time an event source was attached and delivering: an event (or the absence of one) is
// evidence about a change only if the source was delivering, without a break, over the time in question.
import { monotonicMs } from '../../util/clock.js';

interface Span {
  from: number;
  to: number | undefined;
}

// Enough history for a sample whose previous check began several re-attachments ago.
const MAX_SPANS = 32;

/** When a source announced every change it can see (monotonic ms): a short history of unbroken spans. */
export class DeliveryCoverage {
  private readonly spans: Span[] = [];

  /** The source is delivering from `at` on; returns the function that ends this span (at its last delivery). */
  begin(at: number = monotonicMs()): (end?: number) => void {
    const span: Span = { from: at, to: undefined };
    this.spans.push(span);
    if (this.spans.length > MAX_SPANS) this.spans.shift();
    return (end = monotonicMs()) => {
      span.to ??= Math.max(span.from, end);
    };
  }

  /** True while a span is open. */
  get active(): boolean {
    return this.spans.some((span) => span.to === undefined);
  }

  /** True when one unbroken span holds all of [from, to] (both default to now). */
  covers(from?: number, to?: number): boolean {
    const now = monotonicMs();
    const start = from ?? now;
    const end = to ?? now;
    return this.spans.some((span) => span.from <= start && (span.to ?? Number.POSITIVE_INFINITY) >= end);
  }
}
