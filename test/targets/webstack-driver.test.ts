// The webstack driver without a running stack: validate knows its capability (services, no tmux), a dry
// run plans against a placeholder dir, its ledger descriptor survives a reload, the configuration the
// report groups by names its guardrails, and bad options are refused naming the option.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, onTestFinished, test } from 'vitest';
import { describeConfiguration } from '../../src/analyse/configuration.js';
import type { Summary } from '../../src/analyse/summary-schema.js';
import { buildSystemUnderTestView } from '../../src/report/view/system-under-test.js';
import { planScenarios } from '../../src/plan/plan-scenarios.js';
import { Ledger } from '../../src/run/ledger.js';
import { loadScenarios, validateScenarioFiles } from '../../src/scenario/load.js';
import { findBundledDriver, getTargetDriver } from '../../src/targets/drivers/registry.js';
import { openWebstack, stopWebstack } from '../../src/targets/webstack/index.js';
import { DEFAULT_WEBSTACK_OPTIONS, resolveWebstackOptions } from '../../src/targets/webstack/options.js';
import { removeWebstackRecord, writeWebstackRecord } from '../../src/targets/webstack/root-record.js';
import { STATE_FORMAT, type WebstackState } from '../../src/targets/webstack/state.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-webstack-driver-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (steady: string, fault: string) => `id: s1\ntitle: T\ntarget: webstack\nsteadyState:\n  - ${steady}\nfault: ${fault}\n`;

describe('the webstack driver', () => {
  test('validate: a tmux fault against target: webstack is refused for the capability it lacks; an http service probe and a declared-process kill are fine', async () => {
    writeFileSync(join(dir, 'bad.yaml'), scenario('{ probe: http, service: api, path: /health }', '{ type: tmux.kill-session, session: orc }'));
    const bad = await validateScenarioFiles([join(dir, 'bad.yaml')]);
    expect(bad.problems).toEqual([expect.stringMatching(/fault\.type: .*webstack \(the bundled web stack\).*needs the tmux capability|fault\.type: .*needs the tmux capability.*webstack/)]);
    writeFileSync(join(dir, 'good.yaml'), scenario('{ probe: http, service: api, path: /health }', '{ type: process.kill, process: api, signal: SIGKILL }'));
    expect((await validateScenarioFiles([join(dir, 'good.yaml')])).problems).toEqual([]);
  });

  test('a dry run plans against a placeholder stack: the declared process’s pidfile in faultline-web-XXXXXX, nothing started', async () => {
    writeFileSync(join(dir, 'good.yaml'), scenario('{ probe: http, service: api, path: /health }', '{ type: process.kill, process: api, signal: SIGKILL }'));
    const [plan] = await planScenarios(await loadScenarios([join(dir, 'good.yaml')]), { ledger: new Ledger(join(dir, 'state')) });
    expect(plan!.problem).toBeUndefined();
    expect(plan!.target.driver).toBe('webstack');
    expect(plan!.fault.touches.join('\n')).toMatch(/declared process api \(pidfile \/\S+\/faultline-web-XXXXXX\/run\/api\.pid\)/);
    expect(new Ledger(join(dir, 'state')).list()).toEqual([]);
  });

  test('its ledger descriptor is read back as a target intent recover can route to the driver', () => {
    const ledger = new Ledger(join(dir, 'state'));
    const intent = { id: 't1', kind: 'target' as const, createdAt: new Date().toISOString(), pid: process.pid, runId: 'r', target: { driver: 'webstack' as const, dir: join(dir, 'stack'), ownsDir: true } };
    ledger.open(intent);
    const [read] = new Ledger(join(dir, 'state')).list();
    expect(read?.target).toEqual({ driver: 'webstack', dir: join(dir, 'stack'), ownsDir: true });
    expect(getTargetDriver(read!.target!.driver).name).toBe('webstack');
    expect(findBundledDriver('webstack')?.bundled?.capabilities).toEqual(['services']);
    expect(findBundledDriver('./webstack.yaml')).toBeUndefined();
  });

  test('the configuration a summary describes names the guardrails, so on and off are never pooled', () => {
    expect(describeConfiguration({ driver: 'webstack', name: 'webstack', guardrails: 'on' })).toBe('webstack target webstack, guardrails on');
    expect(describeConfiguration({ driver: 'webstack', name: 'webstack', guardrails: 'off' })).toBe('webstack target webstack, guardrails off');
  });

  test('the report’s system-under-test block says who recovers the stack: its guardrails on, or nothing with them off', () => {
    const healing = (guardrails: string) => {
      const summary = { targets: [{ driver: 'webstack', name: 'webstack', guardrails }], scenarios: [], options: { heal: true, gate: false }, environment: { faultline: '0', node: 'v20', host: 'h', platform: 'linux x64' } } as unknown as Summary;
      return buildSystemUnderTestView(summary).rows.find((row) => row.key === 'Healing')!.value;
    };
    expect(healing('on')).toMatch(/^its own guardrails, on .*proposed system/);
    expect(healing('off')).toMatch(/^its guardrails off .*current system: nothing restarts the API/);
  });

  test('a webstack.json the stack’s uid rewrote cannot move its data area: disk faults only ever get the instance’s pg/', () => {
    const role = { user: 'u', password: 'p' };
    const state: WebstackState = {
      format: STATE_FORMAT, dir: realpathSync(dir), ownsDir: true, options: DEFAULT_WEBSTACK_OPTIONS, nodePath: process.execPath,
      ports: { api: 40001, postgres: 40002, redis: 40003 }, postgres: { database: 'app', admin: role, app: role, probe: role, binDir: '' }, redis: { password: '', server: '' },
      jwtSecret: '', env: {}, startedAt: 0, data: { path: join(dir, 'pg'), kind: 'directory', sizeBytes: 1 << 20 },
    };
    // What faultline wrote at start (its own record), then what the uid made of webstack.json.
    writeWebstackRecord(state);
    onTestFinished(() => removeWebstackRecord(state.dir));
    writeFileSync(join(dir, 'webstack.json'), JSON.stringify({ ...state, dir: '/', ports: { api: 1, postgres: 2, redis: 3 }, data: { path: '/', kind: 'tmpfs', sizeBytes: 1e15 } }));
    const target = openWebstack(dir);
    expect(target.services.map((service) => service.port)).toEqual([40001, 40002, 40003]);
    expect(target.roots).toEqual([dir]);
    expect(target.dataAreas).toEqual([{ path: join(dir, 'pg'), kind: 'directory', sizeBytes: 1 << 20 }]);
    expect(target.processes!.map((entry) => entry.pidfile)).toEqual(['supervisor', 'postgres', 'redis', 'api', 'scheduler'].map((name) => join(dir, 'run', `${name}.pid`)));
    expect(target.signalsPath).toBe(join(dir, 'supervisor', 'events.jsonl'));
  });

  test('stop on a directory that holds no web stack (`target down webstack --dir` mistyped) removes nothing of it', async () => {
    for (const name of ['run', 'tmp', 'logs', 'api']) mkdirSync(join(dir, name));
    writeFileSync(join(dir, 'run', 'keep.txt'), 'mine');
    const report = await stopWebstack(dir);
    expect(report).toMatchObject({ complete: true, left: [] });
    expect(report.notes).toEqual([`${dir} holds no web stack (no webstack.json): nothing stopped, unmounted or removed`]);
    for (const name of ['run/keep.txt', 'tmp', 'logs', 'api']) expect(existsSync(join(dir, name))).toBe(true);
  });

  test('options out of range are refused naming the option, its value and its type', () => {
    expect(() => resolveWebstackOptions({ pgDataSizeMiB: 8 })).toThrow('web stack option pgDataSizeMiB: expected an integer from 48 to 4096; got 8 (number)');
    expect(() => resolveWebstackOptions({ eventFlushMs: '5' as never })).toThrow('got "5" (string)');
    expect(resolveWebstackOptions({ guardrails: false })).toMatchObject({ guardrails: false, pgMaxConnections: 30 });
  });
});
