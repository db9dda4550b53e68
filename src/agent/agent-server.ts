// `faultline agent --stdio`: the end of a fleet run that lives on each host. It answers the
// controller's requests (protocol.ts) with this host's own registries, target and ledger, and rolls
// its host back by itself when the controller goes away (channel closed, or the dead-man timer ran out).
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { getErrorMessage } from '../errors.js';
import { Ledger } from '../run/ledger.js';
import { epochMs } from '../util/clock.js';
import { getVersion } from '../util/package-root.js';
import { appendDeadmanRecord, DEADMAN_LIMITS, DeadmanTimer, readDeadmanRecords } from './deadman.js';
import { AGENT_PROTOCOL, createLineSplitter, type AgentEvent, type AgentHello, type AgentRunResult, type AgentRequest, type AgentResponse, type AgentStatus } from './protocol.js';

// The registries and the runner load on first use: hello (the controller's connect time) stays fast.
const loadOps = () => import('./agent-ops.js');
const recoverIntents: typeof import('../run/recover.js').recoverIntents = async (...args) => (await import('../run/recover.js')).recoverIntents(...args);

/** Where the agent reads, writes and keeps its ledger. */
export interface AgentOptions {
  input: Readable;
  output: Writable;
  stateDir: string;
  /** Dead-man interval until the controller's hello sets its own. */
  deadmanMs?: number;
  /** Where the agent says what it does on its own (stderr: the controller's ssh shows it, or nobody). */
  log?: (line: string) => void;
  /** Aborted when the agent itself is told to stop (SIGTERM, SIGINT): it rolls back as if its controller went away. */
  stop?: AbortSignal;
}

/** Serves one controller until it says bye or goes away; resolves once any rollback is done. */
export function serveAgent(options: AgentOptions): Promise<{ reason: string }> {
  const log = options.log ?? (() => {});
  const ledger = new Ledger(options.stateDir);
  let run: { abort: AbortController; done: Promise<unknown> } | undefined;
  let finished = false;
  let resolveDone!: (value: { reason: string }) => void;
  const done = new Promise<{ reason: string }>((resolve) => (resolveDone = resolve));

  const send = (message: AgentResponse | AgentEvent) => {
    // The controller may be gone already: a write to a closed channel is dropped, never fatal.
    if (!options.output.writable) return;
    try {
      options.output.write(`${JSON.stringify(message)}\n`);
    } catch {
      /* the channel closed under us */
    }
  };
  options.output.on('error', () => {});

  // The controller went away: whatever is in effect is rolled back here and now, without it.
  const onControllerGone = async (reason: string) => {
    if (finished) return;
    finished = true;
    deadman.stop();
    const inFlight = run !== undefined;
    run?.abort.abort();
    // The runner rolls back in its finally, as on Ctrl-C; what it reports is kept with the record.
    const result = (await run?.done.catch(() => undefined)) as AgentRunResult | undefined;
    const rollbacks = (result?.summary.runs ?? []).flatMap((entry) => (entry.rollback ? [`run ${entry.index} rollback ${entry.rollback.ok ? 'verified' : 'FAILED'}: ${entry.rollback.detail}`] : []));
    const open = ledger.list().length;
    if (inFlight || open > 0) {
      const report = await recoverIntents(ledger).catch((error: unknown) => ({ recovered: 0, failed: 1, skipped: 0, lines: [`recover threw: ${getErrorMessage(error)}`] }));
      const failedRollbacks = (result?.summary.runs ?? []).filter((entry) => entry.rollback && !entry.rollback.ok).length;
      const record = { at: new Date().toISOString(), reason, recovered: report.recovered + rollbacks.length - failedRollbacks, failed: report.failed, lines: [...rollbacks, ...report.lines.filter((line) => !line.startsWith('nothing to recover'))] };
      appendDeadmanRecord(options.stateDir, record);
      log(`faultline agent: ${reason}; ${inFlight ? 'the run in progress was rolled back' : 'nothing was running'}; recover: ${report.lines.join(' | ')}`);
    }
    resolveDone({ reason });
  };

  const deadman = new DeadmanTimer(options.deadmanMs ?? DEADMAN_LIMITS.defaultMs, () => {
    void onControllerGone(`the controller sent nothing for ${deadman.ms} ms (dead-man timer)`);
  });

  const handle = async (request: AgentRequest): Promise<unknown> => {
    switch (request.op) {
      case 'hello': {
        if (request.protocol !== AGENT_PROTOCOL) throw Object.assign(new Error(`this agent speaks protocol ${AGENT_PROTOCOL}, the controller ${request.protocol}`), { code: 'E_PROTOCOL' });
        const ms = Math.min(DEADMAN_LIMITS.maxMs, Math.max(DEADMAN_LIMITS.minMs, Math.round(Number(request.deadmanMs) || DEADMAN_LIMITS.defaultMs)));
        deadman.setInterval(ms);
        const hello: AgentHello = { version: getVersion(), protocol: AGENT_PROTOCOL, pid: process.pid, host: hostname(), stateDir: options.stateDir, deadmanMs: ms };
        return hello;
      }
      case 'clock':
        return { t: epochMs() };
      case 'ping':
        return {};
      case 'probe':
        return (await loadOps()).checkProbeOnce(request.target, request.spec);
      case 'plan':
        return (await loadOps()).planAgentScenario(request.scenario, ledger);
      case 'run': {
        const { runAgentScenario } = await loadOps();
        if (run) throw Object.assign(new Error('this agent is already running a scenario'), { code: 'E_BUSY' });
        const abort = new AbortController();
        const promise = runAgentScenario(request.scenario, { ledger, signal: abort.signal, reportsDir: join(options.stateDir, 'agent', 'runs'), onEvent: (data) => send({ event: 'journal', data }) });
        run = { abort, done: promise };
        try {
          return await promise;
        } finally {
          run = undefined;
        }
      }
      case 'status': {
        const status: AgentStatus = {
          openIntents: ledger.list().map((intent) => ({ id: intent.id, kind: intent.kind, createdAt: intent.createdAt, ...(intent.fault ? { fault: intent.fault.type } : {}), ...(intent.scenario ? { scenario: intent.scenario } : {}) })),
          deadman: readDeadmanRecords(options.stateDir),
        };
        return status;
      }
      case 'recover':
        return recoverIntents(ledger);
      case 'bye':
        setImmediate(() => {
          if (!run && !finished) {
            finished = true;
            deadman.stop();
            resolveDone({ reason: 'bye' });
          }
        });
        return {};
      default:
        throw Object.assign(new Error(`unknown op ${JSON.stringify((request as { op?: unknown }).op)}`), { code: 'E_OP' });
    }
  };

  const onLine = (line: string) => {
    deadman.wind();
    let request: AgentRequest;
    try {
      request = JSON.parse(line) as AgentRequest;
    } catch {
      send({ id: -1, ok: false, error: { code: 'E_PARSE', message: 'not a JSON line' } });
      return;
    }
    const id = typeof request?.id === 'number' ? request.id : -1;
    handle(request).then(
      (result) => send({ id, ok: true, result }),
      (error: unknown) => send({ id, ok: false, error: { code: String((error as { code?: unknown }).code ?? 'E_AGENT'), message: getErrorMessage(error) } }),
    );
  };
  options.input.on('data', createLineSplitter(onLine, () => void onControllerGone('the controller sent a line longer than the protocol allows')));
  options.input.on('end', () => void onControllerGone('the controller closed the channel'));
  options.input.on('close', () => void onControllerGone('the controller closed the channel'));
  options.stop?.addEventListener('abort', () => void onControllerGone(`the agent was told to stop (${String(options.stop?.reason ?? 'signal')})`), { once: true });
  options.input.on('error', () => void onControllerGone('the channel to the controller failed'));
  deadman.wind();
  return done;
}
