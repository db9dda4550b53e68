// yargs, loaded so that help wraps on word boundaries.
import { createRequire } from 'node:module';
import type yargsType from 'yargs';

interface CliuiLine {
  text: string;
  span?: boolean;
}
interface CliuiPrototype {
  wrap: boolean;
  renderInline(this: CliuiPrototype, source: string, previousLine: CliuiLine): string;
}

const require = createRequire(import.meta.url);

/**
 * yargs' CommonJS build. Its ESM build lays out help with cliui's ESM fallback, which cuts lines every
 * N characters, mid-word; the CommonJS build uses wrap-ansi, which wraps on word boundaries.
 */
export function loadYargs(): typeof yargsType {
  const yargs = require('yargs') as typeof yargsType;
  fixInlineHints(createRequire(require.resolve('yargs'))('cliui') as () => object);
  return yargs;
}

let fixed = false;

// cliui 8 puts an option's "[boolean] [default: false]" on the description's line when it fits, but
// when it fits exactly, it drops the space between them ("ones[choices: …"): such a hint goes on its own line.
function fixInlineHints(cliui: () => object): void {
  if (fixed) return;
  fixed = true;
  const prototype = Object.getPrototypeOf(cliui()) as CliuiPrototype;
  const renderInline = prototype.renderInline;
  if (typeof renderInline !== 'function') return;
  prototype.renderInline = function (source, previousLine) {
    const leading = /^ */.exec(source)?.[0].length ?? 0;
    const used = [...previousLine.text.trimEnd()].length;
    if (previousLine.span && this.wrap && leading === used) return source;
    return renderInline.call(this, source, previousLine);
  };
}
