// Part B of bench:accuracy: failures that begin at a random moment between samples. The measurement
// engine (Sampler + RecoveryTracker) watches a window of the reference orchestrator (healer off) and a
// second control-mode client kills it; the kill happened between writing the command and its %end,
// a window a few tenths of a millisecond wide: that is the ground truth of the onset.
import { closeProbeSet, createProbeSet } from '../../dist/run/probe-set.js';
import { RecoveryTracker } from '../../dist/measure/recovery-tracker.js';
import { Sampler } from '../../dist/measure/sampler.js';
import { TmuxControlClient } from '../../dist/measure/sources/tmux-control-client.js';
import { monotonicMs, sleep } from '../../dist/util/clock.js';

/** Measures `trials` onsets for one probe spec; returns per trial the TTD error and whether the window held the truth. */
export async function measureOnsets(target, spec, trials) {
  const injector = await TmuxControlClient.connect(target.socket, { onNotification() {}, onExit() {} });
  const probes = createProbeSet([spec], target, 50);
  const results = [];
  try {
    for (let trial = 0; trial < trials; trial++) {
      await injector.command("new-window -d -t '=proj-a:1' -n Shell 'sleep 600'");
      const t0 = monotonicMs();
      // No recovery is wanted here: an endless stabilisation keeps the tracker watching for the failure.
      const tracker = new RecoveryTracker(1, t0, Number.MAX_SAFE_INTEGER);
      const sampler = new Sampler(probes, (sample) => tracker.add(sample));
      sampler.start();
      await sleep(20 + Math.random() * 60);
      const sent = monotonicMs();
      await injector.command("kill-window -t '=proj-a:Shell'");
      const answered = monotonicMs();
      const deadline = monotonicMs() + 2000;
      while (tracker.state.detectedAt === null && monotonicMs() < deadline) await sleep(1);
      await sampler.stop();
      const { detectedAt, detectedAfter } = tracker.state;
      if (detectedAt === null) continue;
      const onset = (sent + answered) / 2;
      results.push({
        error: detectedAt - onset,
        resolution: detectedAt - detectedAfter,
        // The truth is inside [sent, answered]; the window must overlap it.
        holdsTruth: detectedAfter <= answered && detectedAt >= sent,
      });
    }
  } finally {
    await closeProbeSet(probes);
    await injector.close();
  }
  return results;
}
