// Debian's Chromium driven by playwright-core: the build machines cannot download Playwright's own
// browsers, and the sandbox needs privileges containers do not give.

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'], headless: true, timeout: 15_000 });
}
