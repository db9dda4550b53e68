// Starts and stops the fault proxy as a process of its own (dist/net/fault-proxy-main.js), optionally
// inside a namespace. It is found again by its pidfile's path on its command line (unique to the fault's
// ledger state directory), so `faultline recover` can stop one a killed runner left, and nothing else.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TargetError } from '../errors.js';
import { sleep } from '../util/clock.js';
import { getPackagePath } from '../util/package-root.js';
import type { FaultProxyAddress, FaultProxyOptions } from './fault-proxy.js';

/** What starting a proxy needs. */
export interface ProxyProcessSpec {
  /** The fault's private directory: the pidfile and the proxy's log go there. */
  stateDir: string;
  namespace?: string;
  address: FaultProxyAddress;
  options: FaultProxyOptions;
  uid: number;
}

/** The proxy's pidfile in a fault's state directory. */
export function getProxyPidFile(stateDir: string): string {
  return join(stateDir, 'fault-proxy.pid');
}

/** Starts the proxy and resolves with the port it listens on, once it listens (as `uid`). */
export async function startProxyProcess(spec: ProxyProcessSpec): Promise<number> {
  const main = getPackagePath('dist', 'net', 'fault-proxy-main.js');
  const config = JSON.stringify({ address: spec.address, options: spec.options, uid: spec.uid, pidFile: getProxyPidFile(spec.stateDir) });
  const command = [process.execPath, main, config];
  const [file, ...args] = spec.namespace === undefined ? command : ['ip', 'netns', 'exec', spec.namespace, ...command];
  const log = openSync(join(spec.stateDir, 'fault-proxy.log'), 'a', 0o600);
  // Detached: it must outlive a runner killed mid-fault (the fault stays in effect until recover), like a rule would.
  const child = spawn(file!, args, { detached: true, stdio: ['ignore', 'pipe', log] });
  closeSync(log);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new TargetError('the fault proxy did not start listening within 10 s')), 10_000);
      child.stdout!.on('data', (chunk) => {
        text += String(chunk);
        if (text.includes('\n')) {
          clearTimeout(timer);
          resolve(text.split('\n')[0]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new TargetError(`the fault proxy exited (${code}) before it listened: ${readLog(spec.stateDir)}`));
      });
    });
    const started = JSON.parse(line) as { port: number; uid?: number };
    if (started.uid !== spec.uid) throw new TargetError(`the fault proxy runs as uid ${started.uid}, not ${spec.uid}: its own connections would be redirected into it`);
    return started.port;
  } catch (error) {
    await stopProxyProcess(spec.stateDir);
    throw error;
  } finally {
    child.stdout!.destroy();
    child.unref();
  }
}

function readLog(stateDir: string): string {
  try {
    return readFileSync(join(stateDir, 'fault-proxy.log'), 'utf8').trim().slice(-500);
  } catch {
    return '(no log)';
  }
}

/** Pids whose command line names this fault's proxy pidfile: only proxies of this very fault. */
export function findProxyProcesses(stateDir: string): number[] {
  const marker = getProxyPidFile(stateDir);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.some((arg) => arg.endsWith('fault-proxy-main.js')) && argv.some((arg) => arg.includes(JSON.stringify(marker).slice(1, -1)))) pids.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Stops this fault's proxy (SIGTERM, then SIGKILL after 3 s); true once none is left. Idempotent. */
export async function stopProxyProcess(stateDir: string): Promise<boolean> {
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  signal(findProxyProcesses(stateDir), 'SIGTERM');
  const deadline = performance.now() + 3000;
  while (findProxyProcesses(stateDir).length > 0 && performance.now() < deadline) await sleep(25);
  signal(findProxyProcesses(stateDir), 'SIGKILL');
  await sleep(findProxyProcesses(stateDir).length > 0 ? 100 : 0);
  return findProxyProcesses(stateDir).length === 0;
}
