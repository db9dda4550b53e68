// Prints a rendered HTML report to PDF through the system's Chromium (reviewers file PDFs). The browser
// is Debian's /usr/bin/chromium (or $FAULTLINE_CHROMIUM), driven by playwright-core; faultline never
// downloads one. The page is opened from its file, offline: the report loads nothing from outside.
import { existsSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { InputError, getErrorMessage } from '../errors.js';

/** Chromium's flags: headless, no sandbox (faultline runs as root), no GPU, no background traffic. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** The browser faultline uses. */
export function getChromiumPath(): string {
  return process.env.FAULTLINE_CHROMIUM || '/usr/bin/chromium';
}

/** Prints `htmlFile` to `pdfFile` (A4, backgrounds kept); returns the PDF's size in bytes. */
export async function printReportPdf(htmlFile: string, pdfFile: string): Promise<number> {
  const executablePath = getChromiumPath();
  if (!existsSync(executablePath)) {
    throw new InputError(`no Chromium at ${executablePath}: --pdf prints through the system's browser`, { hint: 'install it (apt-get install chromium) or point $FAULTLINE_CHROMIUM at one' });
  }
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    throw new InputError(`--pdf needs the playwright-core package, which is not installed: ${getErrorMessage(error)}`, { cause: error, hint: 'npm install playwright-core (it drives the system Chromium; it downloads no browser)' });
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
  try {
    const page = await browser.newPage({ offline: true, javaScriptEnabled: false });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  } finally {
    await browser.close();
  }
  return statSync(pdfFile).size;
}
