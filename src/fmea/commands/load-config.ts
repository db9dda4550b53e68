// Reads an FMEA settings file (YAML or JSON): any part of the config, filled in with the defaults.
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { InputError } from '../../errors.js';
import { FmeaConfigSchema, resolveFmeaConfig, type DeepPartial, type FmeaConfig } from '../schema/config.js';
import { readInputFile } from '../worksheet/load-worksheet.js';

/** Loads `--config`; the merged result must validate against the FMEA settings schema. */
export function loadFmeaConfig(file: string | undefined): FmeaConfig {
  if (!file) return resolveFmeaConfig();
  let partial: unknown;
  try {
    partial = yaml.load(readInputFile(file));
  } catch (error) {
    if (error instanceof InputError) throw error;
    const mark = (error as { mark?: { line: number } }).mark;
    throw new InputError(`${file}:${(mark?.line ?? 0) + 1} invalid YAML: ${(error as Error).message}`, { cause: error });
  }
  const config = resolveFmeaConfig((partial ?? {}) as DeepPartial<FmeaConfig>);
  const validate = new Ajv({ allErrors: true, strict: false }).compile(FmeaConfigSchema);
  if (!validate(config)) {
    const problems = (validate.errors ?? []).map((error) => `${error.instancePath.slice(1).replace(/\//g, '.') || '(root)'}: ${error.message ?? 'is invalid'}`);
    throw new InputError(`${file}: invalid FMEA settings`, { problems });
  }
  return config;
}
