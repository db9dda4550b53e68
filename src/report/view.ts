// What other modules need from the report's view layer without loading it (or the FMEA engine) whole.
export type { ReportView } from './view/build-view.js';
export { formatDuration } from './format.js';
