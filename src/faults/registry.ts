// The fault registry: a name → definition map. Adding a fault = adding its file and one line here.
import { createRegistry, type Registry } from '../util/registry.js';
import type { FaultDefinition } from './types.js';
import configCorrupt from './config-corrupt.js';
import tmuxKillSession from './tmux-kill-session.js';
import tmuxKillWindow from './tmux-kill-window.js';
import tmuxKillServer from './tmux-kill-server.js';
import tmuxKillPaneProcess from './tmux-kill-pane-process.js';
import tmuxInjectKeys from './tmux-inject-keys.js';
import processKill from './process-kill.js';
import processStop from './process-stop.js';
import configDelete from './config-delete.js';
import fileChmod from './file-chmod.js';
import binaryShadow from './binary-shadow.js';
import { createCompositeFault } from './composite.js';
import diskFill from './disk-fill.js';
import dbExhaustConnections from './db-exhaust-connections.js';
import secretRotate from './secret-rotate.js';
import dbDrDrill from './db-dr-drill.js';
import serviceRestart from './service-restart.js';
import diskLogGrowth from './disk-log-growth.js';
import diskTempFiles from './disk-temp-files.js';
import resourceExhaustProcesses from './resource-exhaust-processes.js';
import resourceExhaustMemory from './resource-exhaust-memory.js';
import resourceCpuHog from './resource-cpu-hog.js';
import supervisorStopProgram from './supervisor-stop-program.js';
import serviceConnectionExhaust from './service-connection-exhaust.js';
import serviceSlowloris from './service-slowloris.js';
import serviceRequestFlood from './service-request-flood.js';
import serviceMalformed from './service-malformed.js';
import clockSkew from './clock-skew.js';
import etcdPartition from './etcd-partition.js';
import etcdSlowPeer from './etcd-slow-peer.js';
import netPartition from './net-partition.js';
import netLatency from './net-latency.js';
import netLoss from './net-loss.js';
import netBandwidth from './net-bandwidth.js';
import netReset from './net-reset.js';
import netBlackhole from './net-blackhole.js';

// composite reaches the others through this catalog (lazily), so no module imports the registry back.
const composite = createCompositeFault({ list: () => faultRegistry.values(), get: (type) => getFaultDefinition(type) });

const definitions = [
  tmuxKillSession, tmuxKillWindow, configCorrupt,
  tmuxKillServer, tmuxKillPaneProcess, tmuxInjectKeys, processKill, processStop, configDelete, fileChmod, binaryShadow, composite,
  diskFill, diskLogGrowth, diskTempFiles, resourceExhaustProcesses, resourceExhaustMemory, resourceCpuHog, supervisorStopProgram,
  netPartition, netLatency, netLoss, netBandwidth, netReset, netBlackhole,
  dbExhaustConnections, secretRotate, dbDrDrill, serviceRestart,
  serviceConnectionExhaust, serviceSlowloris, serviceRequestFlood, serviceMalformed, clockSkew, etcdPartition, etcdSlowPeer,
] as const;

/** The name of a registered fault. */
export type FaultType = (typeof definitions)[number]['type'];

/** Every fault type, keyed by name. */
export const faultRegistry: Registry<FaultType, FaultDefinition> = createRegistry('fault type', definitions, (definition) => definition.type);

/** Returns the fault definition for a type, or fails listing the valid ones. */
export function getFaultDefinition(type: string): FaultDefinition {
  return faultRegistry.require(type);
}
