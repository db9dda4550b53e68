// Redis for the web stack: Debian's redis-server with a private config (loopback, its own port, a
// password, AOF on, its directory in the instance), and a process title that names that config, so stop
// can tell the instance's redis-server from any other.
import { existsSync } from 'node:fs';
import { TargetError } from '../../errors.js';
import type { WebstackPaths } from './paths.js';

const SERVERS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

/** The redis-server binary. */
export function findRedisServer(): string {
  const found = SERVERS.find((path) => existsSync(path));
  if (!found) throw new TargetError(`redis-server is not installed (looked for ${SERVERS.join(', ')})`, { hint: 'install it: apt-get install redis-server' });
  return found;
}

/** The instance's redis.conf. */
export function renderRedisConfig(paths: WebstackPaths, port: number, password: string): string {
  return [
    '# Written by faultline for the web stack',
    'bind 127.0.0.1',
    'protected-mode yes',
    `port ${port}`,
    'unixsocket ""',
    `requirepass ${password}`,
    'daemonize no',
    'supervised no',
    `dir ${paths.redisDir}`,
    'appendonly yes',
    'appendfsync everysec',
    'save ""',
    'logfile ""',
    'loglevel warning',
    'maxmemory 64mb',
    'maxmemory-policy allkeys-lru',
    'proc-title-template "{title} {listen-addr} {config-file}"',
    '',
  ].join('\n');
}
