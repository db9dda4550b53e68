import { defineConfig } from 'vitest/config';

// Tests start real tmux servers and processes: generous timeouts, forked workers, two at a time (CI has 2 cores).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A private control directory (run registrations, the halt switch) for the whole suite.
    globalSetup: ['test/setup/private-control-dir.ts'],
  },
});
