// OpenMetrics text of a run, one series per scenario, for the tools people already watch: node_exporter's
// textfile collector (write it as <dir>/faultline.prom) or a Pushgateway (POST it). Only gauges, so the
// Prometheus text parser both read accepts it too; times in seconds, as OpenMetrics units want.
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import { ScenarioVerdictSchema } from '../analyse/summary-schema.js';
import { writeFileAtomic } from '../util/files.js';

/** Every verdict a scenario can get, in the order the verdict family lists them. */
const VERDICTS = ScenarioVerdictSchema.anyOf.map((literal) => String(literal.const));

interface Family {
  name: string;
  help: string;
  unit?: string;
  samples: (scenario: ScenarioSummary) => { labels?: Record<string, string>; value: number | null }[];
}

const FAMILIES: Family[] = [
  { name: 'faultline_scenario_recovered', help: 'Runs of the scenario that recovered within their timeout.', samples: (s) => [{ value: s.stats.recovered }] },
  { name: 'faultline_scenario_completed', help: 'Runs of the scenario that completed (were measured).', samples: (s) => [{ value: s.stats.completed }] },
  { name: 'faultline_scenario_recovery_ratio', help: 'Share of completed runs that recovered (1 = every run).', unit: 'ratio', samples: (s) => [{ value: s.stats.completed > 0 ? s.stats.recovered / s.stats.completed : null }] },
  { name: 'faultline_scenario_ttd_p95_seconds', help: 'Time to detect, 95th percentile over the runs (absent when nothing detected the fault).', unit: 'seconds', samples: (s) => [{ value: seconds(s.stats.ttdMs?.p95) }] },
  { name: 'faultline_scenario_rto_p95_seconds', help: 'Time to recover, 95th percentile over the runs (absent when no run recovered).', unit: 'seconds', samples: (s) => [{ value: seconds(s.stats.rtoMs?.p95) }] },
  { name: 'faultline_scenario_rto_max_seconds', help: 'Time to recover, slowest run.', unit: 'seconds', samples: (s) => [{ value: seconds(s.stats.rtoMs?.max) }] },
  { name: 'faultline_scenario_rto_target_seconds', help: 'The RTO the scenario expects (expect.rtoMs).', unit: 'seconds', samples: (s) => [{ value: seconds(s.expect.rtoMs) }] },
  { name: 'faultline_scenario_data_lost', help: 'Canary items accepted by the target and missing afterwards, over the completed runs (absent without canaries).', samples: (s) => [{ value: s.stats.dataLoss ? s.stats.dataLoss.lost : null }] },
  { name: 'faultline_scenario_verdict', help: 'The scenario verdict: 1 for the one it got, 0 for the others.', samples: (s) => VERDICTS.map((verdict) => ({ labels: { verdict }, value: s.verdict === verdict ? 1 : 0 })) },
];

/** The exposition: one family after another, each scenario labelled by id and configuration, ending in `# EOF`. */
export function renderOpenMetrics(summary: Summary): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`# TYPE ${family.name} gauge`);
    if (family.unit) lines.push(`# UNIT ${family.name} ${family.unit}`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    for (const scenario of summary.scenarios) {
      for (const sample of family.samples(scenario)) {
        if (sample.value === null || !Number.isFinite(sample.value)) continue;
        const labels = { scenario: scenario.id, configuration: scenario.configuration ?? '', ...(scenario.fmea ? { fmea: scenario.fmea.id } : {}), ...sample.labels };
        lines.push(`${family.name}{${Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}} ${formatNumber(sample.value)}`);
      }
    }
  }
  lines.push('# TYPE faultline_run_timestamp_seconds gauge', '# UNIT faultline_run_timestamp_seconds seconds', '# HELP faultline_run_timestamp_seconds When the run started (Unix time).');
  lines.push(`faultline_run_timestamp_seconds{run="${escapeLabel(summary.runId)}"} ${formatNumber(Date.parse(summary.startedAt) / 1000)}`);
  lines.push('# TYPE faultline_run_exit_code gauge', '# HELP faultline_run_exit_code The run\'s exit code (0 pass, 1 gate failed, 3 aborted, 4 rollback failed).');
  lines.push(`faultline_run_exit_code{run="${escapeLabel(summary.runId)}"} ${summary.exitCode}`);
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Writes the exposition atomically: the textfile collector must never read half a file. */
export function writeMetricsFile(path: string, summary: Summary): void {
  writeFileAtomic(path, renderOpenMetrics(summary));
}

function seconds(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : ms / 1000;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}

// OpenMetrics escapes backslash, double quote and newline in label values; HELP text escapes backslash and newline.
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
