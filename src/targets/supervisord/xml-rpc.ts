// supervisord's XML-RPC interface over its unix socket: a cheap read of every program's state and pid
// (no supervisorctl process per sample), for probes that poll it.
import { request } from 'node:http';
import { TargetError } from '../../errors.js';
import type { SupervisedProgram } from '../types.js';

/** Calls one XML-RPC method without parameters on supervisord's unix socket; resolves with the response body. */
export function callSupervisord(socket: string, method: string, timeoutMs = 5_000): Promise<string> {
  const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params></params></methodCall>`;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: '/RPC2', method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new TargetError(`supervisord on ${socket} answered ${method} with HTTP ${res.statusCode}`));
        else if (text.includes('<fault>')) reject(new TargetError(`supervisord on ${socket}: ${method} failed: ${readFaultString(text)}`));
        else resolve(text);
      });
    });
    req.on('timeout', () => req.destroy(new TargetError(`supervisord on ${socket} did not answer ${method} within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(error instanceof TargetError ? error : new TargetError(`supervisord does not answer on ${socket}: ${error.message}`, { hint: 'start supervisord with the target’s config', cause: error })));
    req.end(body);
  });
}

/** Every program supervisord runs (supervisor.getAllProcessInfo), named as supervisorctl names them. */
export async function getAllProcessInfo(socket: string): Promise<SupervisedProgram[]> {
  const text = await callSupervisord(socket, 'supervisor.getAllProcessInfo');
  return [...text.matchAll(/<struct>([\s\S]*?)<\/struct>/g)].map((match) => {
    const members = readMembers(match[1]!);
    const name = members.get('name') ?? '?';
    const group = members.get('group') ?? name;
    const pid = Number(members.get('pid'));
    const state = members.get('statename') ?? 'UNKNOWN';
    return { name: group === name ? name : `${group}:${name}`, state, description: members.get('description') ?? '', ...(state === 'RUNNING' && pid > 1 ? { pid } : {}) };
  });
}

/** supervisord's own pid (supervisor.getPID). */
export async function getSupervisordPid(socket: string): Promise<number | undefined> {
  const text = await callSupervisord(socket, 'supervisor.getPID');
  const pid = Number(/<(?:int|i4)>(\d+)<\/(?:int|i4)>/.exec(text)?.[1]);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

function readMembers(struct: string): Map<string, string> {
  const members = new Map<string, string>();
  for (const member of struct.matchAll(/<member>\s*<name>([^<]*)<\/name>\s*<value>\s*(?:<(\w+)>([\s\S]*?)<\/\2>|([^<]*))\s*<\/value>\s*<\/member>/g)) {
    members.set(member[1]!, decodeXml(member[3] ?? member[4] ?? ''));
  }
  return members;
}

function readFaultString(text: string): string {
  return decodeXml(/<name>faultString<\/name>\s*<value>\s*(?:<string>)?([\s\S]*?)(?:<\/string>)?\s*<\/value>/.exec(text)?.[1] ?? 'unknown fault');
}

function decodeXml(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');
}
