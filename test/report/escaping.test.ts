import { describe, expect, test } from 'vitest';
import { renderHtmlReport } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { createTestInput } from './helpers.js';

// A payload per field, naming the field so each one can be found (escaped) in the output.
const payload = (kind: string) => `<script>alert("${kind}")</script><img src=x onerror=alert(1)>{{constructor}}`;
const escapedScript = (kind: string) => `&lt;script&gt;alert(&quot;${kind}&quot;)&lt;/script&gt;`;

// Fields the HTML shows (fault parameters and scenario files are not shown in it).
const SHOWN = [
  'component', 'failureMode', 'effect', 'cause', 'action', 'owner', 'source', 'detectedBy', 'rollback', 'signalEvent',
  'signalComponent', 'signalSubject', 'signalDetail', 'reason', 'checkExpected', 'checkMeasured', 'scenarioId', 'title',
  'runId', 'version', 'host', 'targetDir', 'note', 'error',
];

describe('escaping of user-supplied strings', () => {
  test('hostile strings in every user-visible field appear as text in the HTML, never as markup', async () => {
    const input = createTestInput({ rows: 8, scenarios: 3, runsPerScenario: 2, text: (kind, index) => payload(index === 0 ? kind : `${kind}${index}`) });
    input.notes = [payload('reportNote')];
    input.summary.scenarios[0]!.runs[0]!.rollback!.ok = false; // a failed rollback shows its detail
    const html = await renderHtmlReport(input);

    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('{{constructor}}'.replace('{{', '{{{'));
    for (const kind of [...SHOWN, 'reportNote']) expect(html, kind).toContain(escapedScript(kind));
    // Inside the charts too: scenario ids label the axes, signal names come from the target.
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(4);
    expect(svgs.some((svg) => svg.includes('&lt;script&gt;'))).toBe(true);
    for (const svg of svgs) expect(svg).not.toMatch(/<(script|foreignObject|a|image|use)\b/i);
  });

  test('a Content-Security-Policy meta forbids loading anything and the page has no script', async () => {
    const html = await renderHtmlReport(createTestInput({ rows: 5, scenarios: 2, runsPerScenario: 1 }));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|connect-src|font-src/);
    // Nothing points outside the file: no external URLs in src/href attributes (anchors within the page only).
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  test('Markdown cells escape markup, links, HTML and table pipes', () => {
    const { summary } = createTestInput({ rows: 2, scenarios: 1, runsPerScenario: 1, text: (kind) => `${kind} | [x](http://e) <b>*y*</b>\nnext` });
    const markdown = renderMarkdown(summary);
    const row = markdown.split('\n').find((line) => line.startsWith('| title'))!;
    expect(row).toContain('title \\| \\[x\\](http://e) &lt;b>\\*y\\*&lt;/b> next');
    expect(row.split(/(?<!\\)\|/)).toHaveLength(9);
  });
});
