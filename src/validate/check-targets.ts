// Checks the target files scenarios name, as a run opens them (schema, one socket, never the default
// tmux server), so `validate` refuses what the run would refuse; nothing is started or changed.
import { getErrorMessage, InputError } from '../errors.js';
import { formatDataPath, type LocatedValue } from '../scenario/positions.js';
import { decodeInputText } from '../scenario/decode-text.js';
import { getInputLimits } from '../scenario/input-limits.js';
import { parseYamlDocuments, YamlLimitError, YamlSyntaxError } from '../scenario/positions.js';
import { readBoundedFile } from '../scenario/read-scenario-file.js';
import { getTargetKey } from '../targets/open-target.js';
import { createProblem, type Problem } from './problem.js';

/** A problem at the `target` field of each scenario whose target file a run would refuse; `absolute` gives a scenario file's real path. */
export async function checkScenarioTargets(scenarios: readonly LocatedValue[], absolute: (scenario: LocatedValue) => string): Promise<Problem[]> {
  const results = new Map<string, Promise<string | undefined>>();
  const problems: Problem[] = [];
  for (const scenario of scenarios) {
    const target = (scenario.value as Record<string, unknown>).target;
    if (typeof target !== 'string' || target === 'reference') continue;
    const file = getTargetKey(target, absolute(scenario));
    if (!results.has(file)) results.set(file, openTargetFile(file));
    const reason = await results.get(file)!;
    const path = [...scenario.path, 'target'];
    if (reason) problems.push(createProblem(scenario.file, scenario.positions.locate(path), formatDataPath(path), reason));
  }
  return problems;
}

async function openTargetFile(file: string): Promise<string | undefined> {
  const { openExternalTarget } = await import('../targets/external.js');
  // Bounded like a scenario file before the target loader reads it (a target: /dev/zero must not hang validate).
  const read = await readBoundedFile(file, getInputLimits().maxBytes);
  if (typeof read === 'string') return `target file ${file}: ${read}`;
  const decoded = decodeInputText(read);
  if (!decoded.ok) return `target file ${file}:${decoded.point.line}:${decoded.point.column} ${decoded.reason}`;
  try {
    parseYamlDocuments(decoded.text);
  } catch (error) {
    if (error instanceof YamlSyntaxError) return `target file ${file}:${error.line}:${error.column} ${error instanceof YamlLimitError ? 'refused' : 'invalid YAML'}: ${error.message}`;
    throw error;
  }
  try {
    await openExternalTarget(file);
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return [getErrorMessage(error), ...error.problems].join('; ');
  }
}
