// Writers that keep acting after inject returns (a log growing at a rate, temp files piling up), run in
// this process and keyed by the fault's state dir: rollback stops them before it cleans up. After a
// crash they died with the runner, and `faultline recover` only has their files left to remove.

const running = new Map<string, { controller: AbortController; done: Promise<void> }>();

/** Starts `task` in the background under `key` (a fault's state dir). */
export function startBackgroundWriter(key: string, task: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  const done = task(controller.signal).catch(() => undefined);
  running.set(key, { controller, done });
}

/** Stops the writer under `key` and waits until it has finished its last write; no-op when none runs. */
export async function stopBackgroundWriter(key: string): Promise<void> {
  const writer = running.get(key);
  if (!writer) return;
  writer.controller.abort();
  await writer.done;
  running.delete(key);
}
