// Reads one gameday.yaml: bounded, YAML with positions, checked against the plan schema and the
// checks a schema cannot express (time zones, cron, windows). Scenarios are not loaded here.
import { basename, dirname, extname, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Cron } from 'croner';
import { applySchemaDefaults } from '../scenario/defaults.js';
import { decodeInputText } from '../scenario/decode-text.js';
import { getInputLimits } from '../scenario/input-limits.js';
import { parseYamlDocuments, YamlLimitError, YamlSyntaxError, type DataPath, type LocatedValue } from '../scenario/positions.js';
import { readBoundedFile } from '../scenario/read-scenario-file.js';
import { explainSchemaErrors } from '../validate/explain-schema-errors.js';
import { createProblem, sortProblems, type Problem } from '../validate/problem.js';
import { buildPlanSchema, type PlanFile } from './plan-schema.js';

/** A plan file with its defaults applied (window and schedule time zones, manual-step timeouts, …). */
export type Plan = PlanFile & { target: string; stopConditionIntervalMs: number; hypotheses: NonNullable<PlanFile['hypotheses']>; stopConditions: NonNullable<PlanFile['stopConditions']> };

/** What reading a plan file found: the plan (when valid), where it came from, and every problem. */
export interface PlanFileContent {
  /** As the user typed it (used in messages). */
  file: string;
  absolute: string;
  /** The plan's id: its `id`, else the file's name (a file named gameday.yaml takes its folder's name). */
  id: string;
  plan?: Plan;
  /** Where each field sits, for problems found later (scenarios of a step, hypotheses). */
  located?: LocatedValue;
  problems: Problem[];
}

interface CompiledPlanSchema {
  schema: Record<string, unknown>;
  validate: ValidateFunction;
}

let compiled: CompiledPlanSchema | undefined;

function compilePlanSchema(): CompiledPlanSchema {
  const schema = JSON.parse(JSON.stringify(buildPlanSchema())) as Record<string, unknown>;
  return { schema, validate: new Ajv({ allErrors: true, discriminator: true, strict: false }).compile(schema) };
}

/** Reads and checks a plan file; never throws for bad input, it reports problems instead. */
export async function readPlanFile(file: string, options: { maxInputBytes?: number } = {}): Promise<PlanFileContent> {
  const absolute = resolve(file);
  const content: PlanFileContent = { file, absolute, id: derivePlanId(absolute), problems: [] };
  const fail = (point: { line: number; column: number } | undefined, message: string) => ({ ...content, problems: [createProblem(file, point, '', message)] });
  const limits = getInputLimits(options.maxInputBytes);
  const read = await readBoundedFile(absolute, limits.maxBytes);
  if (typeof read === 'string') return fail(undefined, read);
  const decoded = decodeInputText(read);
  if (!decoded.ok) return fail(decoded.point, decoded.reason);
  let documents;
  try {
    documents = parseYamlDocuments(decoded.text, limits);
  } catch (error) {
    if (error instanceof YamlLimitError) return fail(error, `refused: ${error.message}`);
    if (error instanceof YamlSyntaxError) return fail(error, `invalid YAML: ${error.message}`);
    throw error;
  }
  const [document, second] = documents;
  if (!document || document.value === null || document.value === undefined) return fail({ line: 1, column: 1 }, 'the file is empty; expected a game-day plan (kind: gameday)');
  if (second) return fail(second.positions.locate([]), `expected one YAML document; got ${documents.length}`);
  compiled ??= compilePlanSchema();
  const located: LocatedValue = { file, path: [], value: document.value, positions: document.positions };
  if (!compiled.validate(document.value)) {
    return { ...content, problems: sortProblems(dropChoiceNoise(explainSchemaErrors(compiled.validate.errors ?? [], located, compiled.schema))) };
  }
  const plan = structuredClone(document.value) as Plan;
  applySchemaDefaults(plan, compiled.schema);
  plan.hypotheses ??= [];
  plan.stopConditions ??= [];
  const problems = checkPlanValues(plan, located);
  return { ...content, id: plan.id ?? content.id, plan, located, problems: sortProblems(problems) };
}

// A step with a misspelt kind (`scenari:`) gets "did you mean `scenario`?" on the field; the step's
// "expected exactly one of scenario, tag, …; got none" says nothing more, so it goes.
function dropChoiceNoise(problems: Problem[]): Problem[] {
  return problems.filter((problem) => !(/^expected exactly one of .*; got none of them$/.test(problem.message) &&
    problems.some((other) => other.path.startsWith(`${problem.path}.`) && /did you mean `(scenario|tag|pauseMs|manual)`\?$/.test(other.message))));
}

// What the schema cannot say: time zones exist, cron expressions parse, windows are not empty, ids are unique.
function checkPlanValues(plan: Plan, located: LocatedValue): Problem[] {
  const problems: Problem[] = [];
  const at = (path: DataPath, message: string) => problems.push(createProblem(located.file, located.positions.locate(path), path.join('.'), message));
  if (plan.window?.timezone !== undefined && !isTimeZone(plan.window.timezone)) at(['window', 'timezone'], `unknown time zone ${JSON.stringify(plan.window.timezone)}; expected an IANA name such as UTC or Europe/Berlin`);
  if (plan.window?.hours && plan.window.hours.from === plan.window.hours.to) at(['window', 'hours'], `from and to are both ${plan.window.hours.from}: the window is empty; widen it or leave hours out`);
  if (plan.schedule) {
    const timezone = plan.schedule.timezone ?? 'UTC';
    if (!isTimeZone(timezone)) at(['schedule', 'timezone'], `unknown time zone ${JSON.stringify(timezone)}; expected an IANA name such as UTC or Europe/Berlin`);
    else {
      const problem = checkCron(plan.schedule.cron, timezone);
      if (problem) at(['schedule', 'cron'], problem);
    }
  }
  const seen = new Map<string, number>();
  plan.hypotheses.forEach((hypothesis, index) => {
    const first = seen.get(hypothesis.id);
    if (first !== undefined) at(['hypotheses', index, 'id'], `duplicate hypothesis id ${JSON.stringify(hypothesis.id)} (also hypotheses.${first})`);
    else seen.set(hypothesis.id, index);
  });
  return problems;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Five fields only: croner also takes seconds and years, which systemd timers and crontab do not.
function checkCron(expression: string, timezone: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `expected five fields (minute hour day-of-month month day-of-week); got ${fields.length} in ${JSON.stringify(expression)}`;
  try {
    const next = new Cron(expression, { timezone, paused: true }).nextRun();
    return next ? undefined : `${JSON.stringify(expression)} never runs`;
  } catch (error) {
    return `invalid cron expression ${JSON.stringify(expression)}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The id a plan without `id` gets: its file name, or for gameday.yaml its folder's name, made kebab-case. */
export function derivePlanId(absolute: string): string {
  const stem = basename(absolute, extname(absolute));
  const name = /^gameday$/i.test(stem) ? basename(dirname(absolute)) : stem.replace(/\.gameday$/i, '');
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'gameday';
}
