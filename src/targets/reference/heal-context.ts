// What the healer knows between ticks, and the shape of one thing it found broken.
import type { OrchestratorConfig } from './config-file.js';
import type { LaunchContext } from './layout.js';
import type { ReferencePaths } from './paths.js';
import type { ReferenceState } from './state.js';

/** The healer's components, as they appear in events.jsonl. */
export type HealComponent = 'server' | 'session' | 'window' | 'agent' | 'config' | 'scheduler' | 'tmp' | 'log' | 'disk' | 'process' | 'memory';

/** One line of healer/events.jsonl; `t` is epoch ms with fractions (performance.timeOrigin + now). */
export interface HealerEvent {
  t: number;
  event: 'detect' | 'repair' | 'repair-failed';
  component: HealComponent;
  subject: string;
  detail: string;
}

/** Something found broken, and how to repair it; `repair` returns a detail for the event or throws. */
export interface Finding {
  component: HealComponent;
  subject: string;
  detail: string;
  repair(): Promise<string>;
}

/** State the healer keeps across ticks. */
export interface HealContext {
  paths: ReferencePaths;
  state: ReferenceState;
  launch: LaunchContext;
  env: NodeJS.ProcessEnv;
  /** The last config that parsed: the layout and limits come from it. */
  config: OrchestratorConfig;
  /** inode:size:mtime:mode of the config when it last parsed; bash -n runs only when this changes. */
  configKey?: string;
  /** pane_current_command of a live agent (the node binary's name, as the kernel truncates it). */
  agentCommand: string;
  /** When the healer last started the scheduler (a fresh one has not touched its heartbeat yet). */
  schedulerStartedAt: number;
}
