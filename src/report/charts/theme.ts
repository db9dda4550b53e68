// The look shared by every chart: a generic font (no web fonts), AP colours readable on light and dark.
import type { Config } from 'vega-lite';

/** Colours of the Action Priorities, mid-tones that read on white and on near-black. */
export const AP_COLORS = { H: '#e5484d', M: '#f5a524', L: '#30a46c' } as const;

/** Neutral accents for lines and markers (also mid-tones). */
export const ACCENT = { line: '#6e7bf2', target: '#e5484d', muted: '#8b95a7', recover: '#3e9ae8', detect: '#f5a524' } as const;

/** Generic font stack: the reader's own system font; nothing is downloaded. */
export const CHART_FONT = 'system-ui, sans-serif';

/** vega-lite config for every chart; the page's CSS recolours text and rules in dark mode. */
export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: 'transparent',
  padding: 6,
  // Per-mark aria labels would double the SVG's size; each chart gets one label from its description instead.
  aria: false,
  view: { stroke: null },
  axis: {
    labelColor: '#475467', titleColor: '#344054', gridColor: '#e4e7ec', domainColor: '#98a2b3', tickColor: '#98a2b3',
    labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600, labelLimit: 220,
  },
  legend: { labelColor: '#475467', titleColor: '#344054', labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600, labelLimit: 260 },
  title: { color: '#344054', fontSize: 12 },
  text: { color: '#1d2330' },
};
