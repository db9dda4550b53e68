// Renders the HTML report from the summary with handlebars; every value is escaped by the template engine.
import { readFile } from 'node:fs/promises';
import type { Summary } from '../analyse/summary-schema.js';
import { getPackagePath } from '../util/package-root.js';
import { buildReportView } from './view.js';

/** Returns the self-contained HTML report of a run. */
export async function renderHtmlReport(summary: Summary): Promise<string> {
  const { default: Handlebars } = await import('handlebars');
  const handlebars = Handlebars.create();
  const [template, styles] = await Promise.all([
    readFile(getPackagePath('templates', 'report.hbs'), 'utf8'),
    readFile(getPackagePath('templates', 'report.css'), 'utf8'),
  ]);
  return handlebars.compile(template, { strict: false })({ ...buildReportView(summary), styles });
}
