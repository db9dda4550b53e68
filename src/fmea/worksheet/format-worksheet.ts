// Writes a worksheet as YAML that reads well and validates against schemas/worksheet.schema.json.
import yaml from 'js-yaml';
import type { Worksheet } from '../schema/worksheet.js';

/** YAML text of a worksheet, with a header comment naming where it came from. */
export function formatWorksheetYaml(worksheet: Worksheet, options: { schemaPath?: string; comment?: string } = {}): string {
  const header = [
    ...(options.schemaPath ? [`# yaml-language-server: $schema=${options.schemaPath}`] : []),
    ...(options.comment ? options.comment.split('\n').map((line) => `# ${line}`.trimEnd()) : []),
  ];
  const body = yaml.dump({ kind: 'worksheet', version: 1, ...worksheet }, { lineWidth: -1, noRefs: true, quotingType: '"' });
  return `${header.length ? `${header.join('\n')}\n` : ''}${body}`;
}
