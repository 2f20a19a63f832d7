// Debian's Chromium, driven by playwright-core (which ships no browser of its own), headless.
// End-to-end tests open the renderer through the browser host in it (ARCHITECTURE.md,
// "Environment facts"), and record every request the page makes so a test can prove that
// nothing left the machine.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const executablePath = process.env.SEALMAIL_CHROMIUM ?? '/usr/bin/chromium';

export interface OpenedPage {
  page: Page;
  /** Every URL the page and its frames asked for, in order (Playwright's request log). */
  requests: string[];
  /** Why a request failed, by URL (e.g. net::ERR_BLOCKED_BY_CSP), for the requests that did. */
  failures: Map<string, string>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      // Containers have no user namespaces for Chromium's own sandbox and a small /dev/shm.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not start ${executablePath} (${detail}); run test/support/install-system-packages.sh, ` +
        'or set SEALMAIL_CHROMIUM to a Chromium binary',
      { cause: error },
    );
  }
}

/** A fresh context (no shared storage) and page at `url`, with its request log. */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests: string[] = [];
  const failures = new Map<string, string>();
  // On the context, so requests of every frame (the message frame included) are logged.
  context.on('request', (request) => requests.push(request.url()));
  context.on('requestfailed', (request) =>
    failures.set(request.url(), request.failure()?.errorText ?? 'failed'),
  );
  const page = await context.newPage();
  await page.goto(url);
  return { page, requests, failures, close: () => context.close() };
}
