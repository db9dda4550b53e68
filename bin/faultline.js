#!/usr/bin/env node
// The CLI lives in dist/ (built by `npm ci` through the prepare script).
import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
