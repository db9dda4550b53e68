// The controller ↔ agent protocol: one JSON object per line over the SSH channel's stdin/stdout.
// Requests carry an id and an op; the agent answers each with the same id, and pushes events (its
// journal lines) without one. Lines are bounded so a confused peer cannot make either side buffer forever.
import type { ScenarioSummary } from '../analyse/summary-schema.js';

/** Bumped when a message changes shape; the controller refuses an agent that speaks another. */
export const AGENT_PROTOCOL = 1;

/** Longest line either side accepts (a journal event, a scenario). */
export const MAX_LINE_BYTES = 1024 * 1024;

/** What the controller asks. */
export type AgentRequest =
  | { id: number; op: 'hello'; version: string; protocol: number; deadmanMs: number }
  | { id: number; op: 'clock' }
  | { id: number; op: 'ping' }
  | { id: number; op: 'probe'; target: string; spec: Record<string, unknown> }
  | { id: number; op: 'plan'; scenario: Record<string, unknown> }
  | { id: number; op: 'run'; scenario: Record<string, unknown> }
  | { id: number; op: 'status' }
  | { id: number; op: 'recover' }
  | { id: number; op: 'bye' };

/** The agent's answer to one request. */
export type AgentResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };

/** Something the agent tells without being asked: a journal event of the run it is doing. */
export interface AgentEvent {
  event: 'journal';
  data: Record<string, unknown>;
}

/** What `hello` answers: who the agent is, so the controller can check it speaks the same faultline. */
export interface AgentHello {
  version: string;
  protocol: number;
  pid: number;
  host: string;
  stateDir: string;
  deadmanMs: number;
}

/** What `status` answers: the agent's open intents and the rollbacks its dead-man timer did. */
export interface AgentStatus {
  openIntents: { id: string; kind: string; fault?: string; scenario?: string; createdAt: string }[];
  deadman: { at: string; reason: string; recovered: number; failed: number; lines: string[] }[];
}

/**
 * Splits a byte stream into lines, refusing one longer than MAX_LINE_BYTES: `onLine` gets each
 * complete line, `onOverflow` is called once when a line grows too long (the stream is then ignored).
 */
export function createLineSplitter(onLine: (line: string) => void, onOverflow: () => void): (chunk: Buffer | string) => void {
  let pending = '';
  let broken = false;
  return (chunk) => {
    if (broken) return;
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') onLine(line);
      newline = pending.indexOf('\n');
    }
    if (Buffer.byteLength(pending) > MAX_LINE_BYTES) {
      broken = true;
      onOverflow();
    }
  };
}

/** What `run` answers: the host's own summary of the scenario, and where its run folder is on the host. */
export interface AgentRunResult {
  summary: ScenarioSummary;
  runDir: string;
  exitCode: number;
}
