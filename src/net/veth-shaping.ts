// tbf on both ends of a namespace's veth: the namespace's eth0 (what the dependency sends) and the host
// end (what reaches it). Only veths faultline made (host end aliased with the namespace's name) are
// shaped, and only when their root qdisc is still the default: rollback deletes the tbf and checks the
// qdisc is back to what it was.
import { execa } from 'execa';
import { GuardError, TargetError } from '../errors.js';
import { listNamespaces, runIp } from './namespace.js';

/** One shaped device: where it is and its `tc qdisc show` before. */
export interface ShapedDevice {
  [key: string]: unknown;
  namespace: string | null;
  dev: string;
  before: string;
}

async function tc(namespace: string | null, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa('tc', [...(namespace ? ['-n', namespace] : []), ...args], { reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout).trim(), stderr: String(result.stderr).trim() };
}

/** The namespace's eth0 and its host-side peer, refused unless faultline made the pair for this namespace. */
export async function findVethEnds(namespace: string): Promise<{ inside: string; host: string }> {
  const [inside] = JSON.parse(await runIp(['-n', namespace, '-j', 'link', 'show', 'dev', 'eth0'])) as { link_index?: number }[];
  const peer = (JSON.parse(await runIp(['-j', 'link', 'show'])) as { ifindex: number; ifname: string; ifalias?: string }[]).find((link) => link.ifindex === inside?.link_index);
  if (!peer || peer.ifalias !== namespace) {
    throw new GuardError(`namespace ${namespace}: eth0's host end is not a veth faultline made for it (no link aliased ${namespace}); tbf shapes only faultline's own veths`, { hint: 'use mechanism: proxy' });
  }
  return { inside: 'eth0', host: peer.ifname };
}

/** Snapshots both ends; refuses a device whose root qdisc is already not the default (faultline would replace someone's). */
export async function prepareShaping(namespace: string): Promise<ShapedDevice[]> {
  const ends = await findVethEnds(namespace);
  const devices: ShapedDevice[] = [];
  for (const [where, dev] of [[namespace, ends.inside], [null, ends.host]] as const) {
    const shown = await tc(where, ['qdisc', 'show', 'dev', dev, 'root']);
    if (shown.exitCode !== 0) throw new TargetError(`tc qdisc show dev ${dev} failed: ${shown.stderr}`);
    if (!/^qdisc (noqueue|noop|pfifo_fast|fq_codel|mq) /.test(shown.stdout)) throw new GuardError(`dev ${dev}${where ? ` in ${where}` : ''} already has a root qdisc (${shown.stdout}); faultline does not replace it`);
    devices.push({ namespace: where, dev, before: shown.stdout });
  }
  return devices;
}

/** Adds tbf at `bytesPerSecond` as the root qdisc of each device. */
export async function addShaping(devices: readonly ShapedDevice[], bytesPerSecond: number): Promise<void> {
  const burst = Math.max(3028, Math.ceil(bytesPerSecond / 50)); // at least one full frame, or 20 ms of traffic
  for (const device of devices) {
    const result = await tc(device.namespace, ['qdisc', 'add', 'dev', device.dev, 'root', 'tbf', 'rate', `${bytesPerSecond * 8}bit`, 'burst', String(burst), 'latency', '200ms']);
    if (result.exitCode !== 0) throw new TargetError(`tc could not add tbf on ${device.dev}: ${result.stderr}`);
  }
}

/** True when every device's root qdisc is tbf. */
export async function verifyShaping(devices: readonly ShapedDevice[]): Promise<boolean> {
  for (const device of devices) if (!(await tc(device.namespace, ['qdisc', 'show', 'dev', device.dev, 'root'])).stdout.startsWith('qdisc tbf ')) return false;
  return true;
}

/** Deletes the tbf from each device still there and checks its root qdisc is what it was; idempotent. */
export async function removeShaping(devices: readonly ShapedDevice[]): Promise<{ ok: boolean; detail: string }> {
  const notes: string[] = [];
  const namespaces = await listNamespaces();
  for (const device of devices) {
    if (device.namespace && !namespaces.includes(device.namespace)) {
      notes.push(`${device.dev}: namespace ${device.namespace} is gone, and its tbf with it`);
      continue;
    }
    const shown = await tc(device.namespace, ['qdisc', 'show', 'dev', device.dev, 'root']);
    if (shown.exitCode !== 0) {
      notes.push(`${device.dev} is gone, and its tbf with it`);
      continue;
    }
    if (shown.stdout.startsWith('qdisc tbf ')) await tc(device.namespace, ['qdisc', 'del', 'dev', device.dev, 'root']);
    const after = (await tc(device.namespace, ['qdisc', 'show', 'dev', device.dev, 'root'])).stdout;
    if (after !== device.before) return { ok: false, detail: `${device.dev}: root qdisc is "${after}", not "${device.before}" as before` };
    notes.push(`${device.dev}: tbf removed, root qdisc back to ${after.split(' ').slice(0, 3).join(' ')}`);
  }
  return { ok: true, detail: notes.join('; ') };
}
