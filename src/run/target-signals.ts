// Reads the target's own detections and repairs (e.g. the reference healer's events.jsonl) for a time window.
import { readFile } from 'node:fs/promises';
import type { TargetSignal } from '../analyse/summary-schema.js';

/** Returns the target's events with `from <= t <= to` (epoch ms), offsets relative to t0. */
export async function readTargetSignals(path: string | undefined, t0: number, from: number, to: number): Promise<TargetSignal[]> {
  if (!path) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const signals: TargetSignal[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const t = Number(event.t);
    if (!Number.isFinite(t) || t < from || t > to) continue;
    signals.push({
      t,
      offsetMs: Math.round((t - t0) * 1000) / 1000,
      event: String(event.event ?? 'event'),
      ...(event.component !== undefined ? { component: String(event.component) } : {}),
      ...(event.subject !== undefined ? { subject: String(event.subject) } : {}),
      ...(event.detail !== undefined ? { detail: String(event.detail) } : {}),
    });
  }
  return signals;
}
