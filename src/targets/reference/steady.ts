// Waits until a fresh instance is steady: agents printed ready, health servers answer, scheduler and healer tick.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { runSocketTmux } from './exec.js';
import { PANE_FORMAT, parsePanes, type SessionSpec } from './layout.js';
import { getAgentPidPath, getHealthPortPath, type ReferencePaths } from './paths.js';
import { isInstanceProcess, readPidFile } from './processes.js';

/** Resolves when everything is up; rejects after `timeoutMs` naming what was not. */
export async function waitUntilSteady(paths: ReferencePaths, layout: readonly SessionSpec[], options: { heal: boolean; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  let waitingFor: string[] = [];
  while (performance.now() < deadline) {
    await checkHelpersAlive(paths, options.heal);
    waitingFor = await getUnsteadyParts(paths, layout, options);
    if (waitingFor.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not steady after ${options.timeoutMs} ms, waiting for ${waitingFor.join(', ')}`);
}

// Cheap file checks first; tmux and HTTP only once those pass.
async function getUnsteadyParts(paths: ReferencePaths, layout: readonly SessionSpec[], options: { heal: boolean; env: NodeJS.ProcessEnv }): Promise<string[]> {
  const waiting: string[] = [];
  const agents = layout.filter((session) => session.windows.some((window) => window.role === 'agent')).map((session) => session.name);
  const healthSessions = layout.filter((session) => session.windows.some((window) => window.role === 'health')).map((session) => session.name);
  for (const session of agents) if (readPidFile(getAgentPidPath(paths, session)) === undefined) waiting.push(`agent ${session} ready`);
  for (const session of healthSessions) if (!existsSync(getHealthPortPath(paths, session))) waiting.push(`health server ${session} port`);
  if (!(await isRecordedAlive(paths.schedulerPid, paths.dir)) || !existsSync(paths.schedulerHeartbeat)) waiting.push('scheduler heartbeat');
  if (options.heal && (!(await isRecordedAlive(paths.healerPid, paths.dir)) || !existsSync(paths.healerHeartbeat))) waiting.push('healer heartbeat');
  if (waiting.length > 0) return waiting;

  const listed = await runSocketTmux(paths.socket, ['list-panes', '-a', '-F', PANE_FORMAT], { env: options.env, timeoutMs: 2000 });
  const panes = listed.exitCode === 0 ? parsePanes(listed.stdout) : [];
  for (const session of layout) {
    for (const window of session.windows) {
      const pane = panes.find((candidate) => candidate.session === session.name && candidate.windowName === window.name);
      if (!pane || pane.dead) waiting.push(`window ${session.name}:${window.name}`);
      else if (window.role === 'agent' && readPidFile(getAgentPidPath(paths, session.name)) !== pane.pid) waiting.push(`agent ${session.name} in its pane`);
    }
  }
  for (const session of healthSessions) {
    const port = readPidFile(getHealthPortPath(paths, session)); // same format as a pidfile: one integer
    if (port === undefined || !(await isHealthy(port))) waiting.push(`health server ${session} answering`);
  }
  return waiting;
}

// A helper that died during start-up will not come back: fail now, with the end of its output.
async function checkHelpersAlive(paths: ReferencePaths, heal: boolean): Promise<void> {
  for (const name of heal ? ['scheduler', 'healer'] : ['scheduler']) {
    const pidFile = join(paths.runDir, `${name}.pid`);
    if (readPidFile(pidFile) === undefined || (await isRecordedAlive(pidFile, paths.dir))) continue;
    let output = '';
    try {
      output = readFileSync(join(paths.logsDir, `${name}.out`), 'utf8').trim().split('\n').slice(-3).join(' | ');
    } catch {
      // No output file.
    }
    throw new Error(`the ${name} exited during start-up${output ? `: ${output}` : ''} (see ${join(paths.logsDir, `${name}.out`)})`);
  }
}

async function isRecordedAlive(pidFile: string, dir: string): Promise<boolean> {
  const pid = readPidFile(pidFile);
  return pid !== undefined && (await isInstanceProcess(pid, dir));
}

/** GET http://127.0.0.1:<port>/health answers 200 ok within 1 s. */
export function isHealthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', method: 'GET', timeout: 1000, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 && body === 'ok'));
      response.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
