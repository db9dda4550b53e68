// bench:cpu — faultline's own CPU while sampling the default steady state of the reference orchestrator
// (part C of bench:accuracy, on its own). Run with `npm run bench:cpu` (builds first).
import { measureCpu } from './lib/cpu.mjs';

console.log('faultline bench:cpu — CPU while sampling (budget: 5% of one core for the default steady state)\n');
const figures = await measureCpu();
console.log(`\ndefault steady state: ${figures.totalPercent.toFixed(2)}% of one core (budget 5%): ${figures.totalPercent <= 5 ? 'ok' : 'OVER BUDGET'}`);
process.exitCode = figures.totalPercent <= 5 ? 0 : 1;
