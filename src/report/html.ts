// Renders the self-contained HTML report: handlebars templates (every value escaped) and charts as inline SVG.
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { getPackagePath } from '../util/package-root.js';
import { renderCharts } from './charts/render-svg.js';
import type { ReportInput } from './report-input.js';
import { buildReportView } from './view/build-view.js';

type Template = (context: unknown) => string;
let compiled: Promise<Template> | undefined;

// Compiles templates/report.hbs with the partials in templates/sections/ once per process.
async function loadTemplate(): Promise<Template> {
  const { default: Handlebars } = await import('handlebars');
  const handlebars = Handlebars.create();
  const sectionsDir = getPackagePath('templates', 'sections');
  const files = (await readdir(sectionsDir)).filter((file) => file.endsWith('.hbs')).sort();
  for (const file of files) handlebars.registerPartial(basename(file, '.hbs'), await readFile(`${sectionsDir}/${file}`, 'utf8'));
  const [template, styles] = await Promise.all([
    readFile(getPackagePath('templates', 'report.hbs'), 'utf8'),
    readFile(getPackagePath('templates', 'report.css'), 'utf8'),
  ]);
  // Only the built-in block helpers: a template cannot call anything that would bypass escaping.
  const render = handlebars.compile(template, { strict: false, knownHelpersOnly: true, knownHelpers: { each: true, if: true, unless: true, with: true } });
  return (context) => render({ ...(context as object), styles });
}

/** Returns the report of a run as one HTML file that opens offline and loads nothing. */
export async function renderHtmlReport(input: ReportInput): Promise<string> {
  compiled ??= loadTemplate();
  const template = await compiled.catch((error: unknown) => {
    compiled = undefined;
    throw error;
  });
  const { view, specs } = buildReportView(input);
  const { svgs, errors } = await renderCharts(specs);
  const notes = errors.length > 0
    ? { ...view.notes, lines: [...view.notes.lines, ...errors.map((message) => ({ kind: 'report' as const, at: '', where: 'report', message }))] }
    : view.notes;
  const timelines = view.timelines.map((timeline) => ({ ...timeline, svg: svgs[timeline.key] }));
  return template({ ...view, notes, timelines, charts: svgs });
}
