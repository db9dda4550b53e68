// Canary: sequenced messages typed into an agent's pane (tmux send-keys), reconciled with the agent's log.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';

export default defineCanary({
  type: 'tmux.message',
  needs: ['tmux'],
  summary: 'types sequenced messages into a pane and counts those missing from the agent’s log',
  params: defineCanaryParams('tmux.message', {
    target: Type.String({ minLength: 1, description: 'Pane to type into: session:window[.pane] (the session name is matched exactly).' }),
    log: Type.String({ minLength: 1, description: 'The agent’s message log, relative to the target home (e.g. agents/proj-a.log).' }),
    prefix: Type.Optional(Type.String({ pattern: '^[^\\n\\r]*$', default: 'faultline canary', description: 'Text before the token in each message.' })),
  }, 'Messages to an agent are not lost.'),
  create(params, { target }) {
    const pane = params.target.startsWith('=') || /^[%@$]/.test(params.target) ? params.target : `=${params.target}`;
    const prefix = params.prefix ?? 'faultline canary';
    return {
      // One send-keys command types the text and Enter, so a message is accepted whole or not at all.
      async send(token) {
        const result = await target.tmux(['send-keys', '-t', pane, '--', `${prefix} ${token}`, 'Enter']);
        return result.exitCode === 0 ? { accepted: true } : { accepted: false, detail: result.stderr.trim() || `send-keys exited ${result.exitCode}` };
      },
      async collect() {
        // No log: the agent kept nothing (every item lost). A log that cannot be read is no read at all.
        return readFile(target.resolvePath(params.log), 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return '';
          throw error;
        });
      },
    };
  },
});
