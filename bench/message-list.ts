// Scrolls the 50,000-message list in Chromium and reports frame times (issue 6: "a virtualised
// list that stays smooth at 50,000 messages", aiming for 60 fps). Real parts: a Dovecot folder of
// 50,000 messages, Sealmail's own sync and SQLite cache, the browser host and the built renderer
// in Debian's Chromium. The page measures itself with requestAnimationFrame while it scrolls, so
// the numbers are what a user would see, not what the test driver sees.
// Run: `npm run bench message-list` (under with-keyring.sh, for alice's password).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startAliceDesktop, artifacts } from '../test/e2e/alice-desktop.js';
import { fillFolder } from './support/maildir-folder.js';

const total = Number(process.env.BENCH_MESSAGES ?? 50_000);
const folder = 'Bench';
const frameBudgetMs = 1000 / 60;

function message(n: number): string {
  const date = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toUTCString().replace('GMT', '+0000');
  return (
    `From: Sender ${n % 97} <sender${n % 97}@example.test>\nTo: alice@example.test\n` +
    `Subject: List message ${n} about item ${(n * 7919) % 10_007}\nDate: ${date}\n` +
    `Message-ID: <list-${n}@example.test>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHello.\n`
  );
}

interface ScrollRun {
  frames: number[];
  /** Frames in which at least one row on screen still said "Loading…". */
  blankFrames: number;
  longTasks: number;
  travelled: number;
}

/**
 * Scrolls the list at `pxPerSecond` for `seconds`, setting scrollTop from the frame's own
 * timestamp (as a fling does), and records every frame interval. Plain JavaScript in a string:
 * tsx would otherwise wrap the page-side functions in a helper the page does not have.
 */
const scrollInPage = `({ label, pxPerSecond, seconds }) => new Promise((resolve, reject) => {
  const list = document.querySelector('[role="listbox"][aria-label="' + label + '"]');
  if (!list) return reject(new Error('no list ' + label));
  let longTasks = 0;
  const observer = new PerformanceObserver((entries) => { longTasks += entries.getEntries().length; });
  observer.observe({ type: 'longtask' });
  const frames = [];
  let blankFrames = 0;
  const from = list.scrollTop;
  let started = -1;
  let previous = -1;
  const view = () => list.getBoundingClientRect();
  const onScreen = (row, box = row.getBoundingClientRect(), v = view()) => box.bottom > v.top && box.top < v.bottom;
  const step = (now) => {
    if (started < 0) started = previous = now;
    else {
      frames.push(now - previous);
      previous = now;
      if ([...list.querySelectorAll('.loading')].some((row) => onScreen(row))) blankFrames++;
    }
    const elapsed = (now - started) / 1000;
    list.scrollTop = from + pxPerSecond * elapsed;
    if (elapsed < seconds && list.scrollTop < list.scrollHeight - list.clientHeight) requestAnimationFrame(step);
    else {
      observer.disconnect();
      resolve({ frames, blankFrames, longTasks, travelled: list.scrollTop - from });
    }
  };
  requestAnimationFrame(step);
})`;

async function scroll(page: Page, pxPerSecond: number, seconds: number): Promise<ScrollRun> {
  const run = (await page.evaluate(
    `(${scrollInPage})(${JSON.stringify({ label: `Messages in ${folder}`, pxPerSecond, seconds })})`,
  )) as ScrollRun;
  return run;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function report(name: string, run: ScrollRun): void {
  const sorted = [...run.frames].sort((a, b) => a - b);
  const seconds = run.frames.reduce((sum, ms) => sum + ms, 0) / 1000;
  const fps = run.frames.length / seconds;
  // A frame counts as missed when it took longer than one vsync plus a little jitter.
  const missed = run.frames.filter((ms) => ms > frameBudgetMs * 1.5).length;
  console.log(
    `  ${name.padEnd(34)} ${fps.toFixed(1).padStart(5)} fps  p50 ${percentile(sorted, 50).toFixed(1)} ms  ` +
      `p95 ${percentile(sorted, 95).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  ` +
      `max ${(sorted.at(-1) ?? 0).toFixed(1)} ms  missed ${((100 * missed) / run.frames.length).toFixed(1)}%  ` +
      `blank ${((100 * run.blankFrames) / run.frames.length).toFixed(1)}%  long tasks ${run.longTasks}  ` +
      `(${run.frames.length} frames, ${Math.round(run.travelled / 56).toLocaleString('en')} rows)  ` +
      `target 60 fps: ${fps >= 57 && percentile(sorted, 95) <= frameBudgetMs * 1.5 ? 'met' : 'MISSED'}`,
  );
}

async function main(): Promise<void> {
  const filling = Date.now();
  const desktop = await startAliceDesktop('bench-list', (stack) =>
    fillFolder(stack, 'alice', folder, total, message),
  );
  try {
    console.log(
      `message-list: ${total.toLocaleString('en')} messages, filled in ${((Date.now() - filling) / 1000).toFixed(1)} s`,
    );
    const { page, close } = await desktop.open();
    try {
      await page
        .getByRole('button', { name: new RegExp(`^${folder}`) })
        .first()
        .click();
      const list = page.getByRole('listbox', { name: `Messages in ${folder}` });
      // The first open syncs the whole folder into the cache; wait until the list knows all of it.
      const synced = Date.now();
      await list
        .getByRole('option')
        .first()
        .and(page.locator(`[aria-setsize="${total}"]`))
        .waitFor({ timeout: 300_000 });
      console.log(`  first sync and list shown in ${((Date.now() - synced) / 1000).toFixed(1)} s`);
      await scroll(page, 1_000, 1); // warm-up: JIT, first pages, fonts
      report('reading pace, 1,000 px/s for 5 s', await scroll(page, 1_000, 5));
      report('fling, 10,000 px/s for 5 s', await scroll(page, 10_000, 5));
      report('scrollbar drag, 500,000 px/s for 4 s', await scroll(page, 500_000, 4));
      await page.screenshot({ path: join(artifacts, 'bench-message-list.png') });
    } finally {
      await close();
    }
  } finally {
    await desktop.stop();
  }
}

await main();
