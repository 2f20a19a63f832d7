// One Sealmail per user: a second start brings the first window forward and quits.
import { describe, expect, it } from 'vitest';
import { claimSingleInstance, type SingleInstanceApp } from '../../electron/main/single-instance.js';

function standInApp(lockFree: boolean) {
  const log: string[] = [];
  let secondInstance: ((event: unknown, argv: string[]) => void) | null = null;
  const app: SingleInstanceApp = {
    requestSingleInstanceLock: () => lockFree,
    on: (_event, listener) => void (secondInstance = listener),
    quit: () => void log.push('quit'),
  };
  return { app, log, startAgain: (argv: string[] = []) => secondInstance?.({}, argv) };
}

describe('single instance', () => {
  it('lets the first Sealmail run and shows its window when Sealmail is started again', () => {
    const first = standInApp(true);
    const shown: string[] = [];
    expect(claimSingleInstance(first.app, (argv) => shown.push(`shown ${argv.join(' ')}`))).toBe(true);
    first.startAgain(['sealmail', 'sealmail://enroll?mailbox=a%40b.example&key=K']);
    // The second start's command line reaches the first: a clicked sealmail:// link is not lost.
    expect(shown).toEqual(['shown sealmail sealmail://enroll?mailbox=a%40b.example&key=K']);
    expect(first.log).toEqual([]);
  });

  it('quits a second Sealmail', () => {
    const second = standInApp(false);
    expect(claimSingleInstance(second.app, () => undefined)).toBe(false);
    expect(second.log).toEqual(['quit']);
  });
});
