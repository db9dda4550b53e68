// Terminal colours, off when NO_COLOR is set or stderr/stdout is not a TTY.
const enabled = !process.env.NO_COLOR && Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb';

const wrap = (open: number, close: number) => (text: string) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);

/** Colour helpers; identity functions when colour is off. */
export const paint = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};
