// The web stack's scheduler (the failure matrix's missing cron runner), a program of its own
// (node dist/targets/webstack/api/scheduler.js <instance dir>): writes a heartbeat row every interval.
import { join } from 'node:path';
import pg from 'pg';
import { ConfigError, EXIT_CONFIG, loadApiConfig } from './config.js';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} scheduler: ${line}\n`);
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: scheduler.js <instance dir>\n');
  process.exit(2);
}
let config;
try {
  config = loadApiConfig(join(dir, 'api', 'api.env'));
} catch (error) {
  log(`refusing to start: ${(error as Error).message}`);
  process.exit(error instanceof ConfigError ? EXIT_CONFIG : 1);
}
const pool = new pg.Pool({ ...config.pg, max: 1, connectionTimeoutMillis: 2000 });
pool.on('error', () => undefined);
let failing = false;
const beat = async () => {
  try {
    await pool.query("INSERT INTO heartbeats (job) VALUES ('heartbeat')");
    if (failing) log('heartbeat written again');
    failing = false;
  } catch (error) {
    if (!failing) log(`heartbeat failed: ${(error as Error).message}`);
    failing = true;
  }
};
const timer = setInterval(() => void beat(), config.schedulerIntervalMs);
void beat();
process.once('SIGTERM', () => {
  clearInterval(timer);
  void pool.end().finally(() => process.exit(0));
});
