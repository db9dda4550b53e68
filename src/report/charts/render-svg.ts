// Compiles vega-lite specs and renders them to SVG strings in Node: no DOM, no canvas, no network.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG } from './theme.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let modules: Promise<[Vega, VegaLite]> | undefined;

// vega and vega-lite are large: imported on first use only, so the CLI stays fast.
function loadVega(): Promise<[Vega, VegaLite]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

// A loader that refuses every request: charts carry their data inline, so any load is a bug.
function createOfflineLoader(vega: Vega) {
  const loader = vega.loader();
  const refuse = async (uri: string) => {
    throw new Error(`report charts must not load anything (asked for ${uri})`);
  };
  loader.load = refuse;
  loader.sanitize = refuse as never;
  loader.http = refuse as never;
  loader.file = refuse as never;
  return loader;
}

// Geometry attributes whose numbers vega writes with 16 digits: a tenth of a pixel is plenty.
const GEOMETRY = /\b(d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g;

/** Rounds the numbers in geometry attributes (text content is left alone), which halves a chart's size. */
export function compactSvg(svg: string): string {
  return svg.replace(GEOMETRY, (_, name: string, value: string) => `${name}="${value.replace(/(\d*\.\d)\d+/g, '$1')}"`);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Renders one vega-lite spec (data inline) to an SVG string. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  // Warnings (e.g. legends merged on purpose) would clutter the CLI's stderr; errors still throw.
  const logger = { level: () => logger, error: (...args: unknown[]) => { throw new Error(args.join(' ')); }, warn: () => logger, info: () => logger, debug: () => logger } as never;
  const compiled = vegaLite.compile({ ...spec, config: { ...CHART_CONFIG, ...spec.config } } as TopLevelSpec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: createOfflineLoader(vega), logLevel: vega.Error });
  try {
    const svg = compactSvg(await view.toSVG());
    return svg.replace('<svg ', `<svg role="img" focusable="false" aria-label="${escapeAttribute(spec.description ?? 'chart')}" `);
  } finally {
    view.finalize();
  }
}

/** Renders named specs in turn; a chart that fails becomes a note instead of failing the report. */
export async function renderCharts<K extends string>(specs: Partial<Record<K, TopLevelSpec>>): Promise<{ svgs: Partial<Record<K, string>>; errors: string[] }> {
  const svgs: Partial<Record<K, string>> = {};
  const errors: string[] = [];
  for (const [name, spec] of Object.entries(specs) as [K, TopLevelSpec | undefined][]) {
    if (!spec) continue;
    try {
      svgs[name] = await renderChartSvg(spec);
    } catch (error) {
      errors.push(`chart ${name} could not be drawn: ${(error as Error).message}`);
    }
  }
  return { svgs, errors };
}
