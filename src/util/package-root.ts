// Locates files shipped with faultline (templates, schemas, package.json) from src/ or dist/.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root directory (the one holding package.json). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of a file relative to the package root. */
export function getPackagePath(...segments: string[]): string {
  return join(packageRoot, ...segments);
}

/** faultline's version from package.json. */
export function getVersion(): string {
  return (JSON.parse(readFileSync(getPackagePath('package.json'), 'utf8')) as { version: string }).version;
}
