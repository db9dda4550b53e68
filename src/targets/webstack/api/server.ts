// The web stack's API, a program of its own (node dist/targets/webstack/api/server.js <instance dir>):
// reads its env file, migrates the schema, and serves on its loopback port until SIGTERM.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Cache } from './cache.js';
import { ConfigError, EXIT_CONFIG, loadApiConfig } from './config.js';
import { Database } from './database.js';
import { EventIngest } from './events.js';
import { migrateAtStartup } from './migrate.js';
import { handleRequest, type ApiContext } from './routes.js';
import { Uploads } from './uploads.js';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} api: ${line}\n`);
}

async function main(dir: string): Promise<void> {
  let config;
  try {
    config = loadApiConfig(join(dir, 'api', 'api.env'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log(`refusing to start: ${error.message}`);
    process.exit(EXIT_CONFIG);
  }
  const db = new Database(config);
  const cache = new Cache(config);
  const uploads = new Uploads(config.uploadDir, config.guardrails);
  uploads.prepare();
  const applied = await migrateAtStartup(db, { retry: config.guardrails, budgetMs: 60_000, log });
  log(`schema ready${applied.length ? ` (applied ${applied.join(', ')})` : ''}; guardrails ${config.guardrails ? 'on' : 'off'}`);
  const events = new EventIngest(db, { guardrails: config.guardrails, flushMs: config.eventFlushMs, log });
  const context: ApiContext = { config, db, cache, events, uploads, log };
  const server = createServer((request, response) => void handleRequest(context, request, response));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.apiPort, '127.0.0.1', () => resolve());
  });
  log(`listening on 127.0.0.1:${config.apiPort}`);
  const stop = async () => {
    server.close();
    server.closeAllConnections();
    await events.close();
    cache.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: server.js <instance dir>\n');
  process.exit(2);
}
main(dir).catch((error: unknown) => {
  log(`failed: ${(error as Error).message}`);
  process.exit(1);
});
