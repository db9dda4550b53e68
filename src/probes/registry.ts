// The probe registry: a name → definition map. Adding a probe = adding its file and one line here.
import { createRegistry, type Registry } from '../util/registry.js';
import type { ProbeDefinition } from './types.js';
import command from './command.js';
import dirEntries from './dir-entries.js';
import etcdHealth from './etcd-health.js';
import etcdLeader from './etcd-leader.js';
import etcdWrite from './etcd-write.js';
import diskFree from './disk-free.js';
import fileExists from './file-exists.js';
import fileFresh from './file-fresh.js';
import fileHash from './file-hash.js';
import fileMatches from './file-matches.js';
import fileParses from './file-parses.js';
import fileStat from './file-stat.js';
import http from './http.js';
import logMatch from './log-match.js';
import processAlive from './process-alive.js';
import processUsage from './process-usage.js';
import redis from './redis.js';
import sql from './sql.js';
import supervisorProgram from './supervisor-program.js';
import tcp from './tcp.js';
import tmuxPaneAlive from './tmux-pane-alive.js';
import tmuxPaneText from './tmux-pane-text.js';
import tmuxSession from './tmux-session.js';
import tmuxWindow from './tmux-window.js';

const definitions = [
  tmuxSession,
  tmuxWindow,
  tmuxPaneAlive,
  tmuxPaneText,
  processAlive,
  processUsage,
  fileExists,
  fileHash,
  fileParses,
  fileFresh,
  fileMatches,
  fileStat,
  dirEntries,
  diskFree,
  command,
  http,
  tcp,
  logMatch,
  supervisorProgram,
  sql,
  redis,
  etcdLeader,
  etcdWrite,
  etcdHealth,
] as const;

/** The name of a registered probe. */
export type ProbeType = (typeof definitions)[number]['type'];

/** Every probe type, keyed by name. */
export const probeRegistry: Registry<ProbeType, ProbeDefinition> = createRegistry('probe type', definitions, (definition) => definition.type);

/** Returns the probe definition for a type, or fails listing the valid ones. */
export function getProbeDefinition(type: string): ProbeDefinition {
  return probeRegistry.require(type);
}
