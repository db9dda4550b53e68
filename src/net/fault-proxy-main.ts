// The fault proxy as its own process, so it can run inside a namespace (`ip netns exec`) and as a uid of
// its own: the redirect rule exempts that uid, so the proxy's upstream connections are never looped back
// into it. Usage: node fault-proxy-main.js '<json config>'. Prints one JSON line {"port":N} once it listens.
import { renameSync, writeFileSync } from 'node:fs';
import { startFaultProxy, type FaultProxyAddress, type FaultProxyOptions } from './fault-proxy.js';

/** The config the parent passes as argv[2]. */
export interface FaultProxyProcessConfig {
  address: FaultProxyAddress;
  options: FaultProxyOptions;
  /** Uid (and gid) to switch to once listening. */
  uid?: number;
  /** Written (atomically) with this process's pid before it listens, so recover finds it after a crash. */
  pidFile?: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as FaultProxyProcessConfig;
  if (config.pidFile) {
    writeFileSync(`${config.pidFile}.tmp`, `${process.pid}\n`);
    renameSync(`${config.pidFile}.tmp`, config.pidFile);
  }
  const proxy = await startFaultProxy(config.address, config.options);
  if (config.uid !== undefined) {
    process.setgroups?.([]);
    process.setgid?.(config.uid);
    process.setuid?.(config.uid);
  }
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ port: proxy.port, uid: process.getuid?.() })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fault proxy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
