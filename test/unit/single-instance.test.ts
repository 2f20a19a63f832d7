// One Sealmail per user: a second start brings the first window forward and quits.
import { describe, expect, it } from 'vitest';
import { claimSingleInstance, type SingleInstanceApp } from '../../electron/main/single-instance.js';

function standInApp(lockFree: boolean) {
  const log: string[] = [];
  let secondInstance: (() => void) | null = null;
  const app: SingleInstanceApp = {
    requestSingleInstanceLock: () => lockFree,
    on: (_event, listener) => void (secondInstance = listener),
    quit: () => void log.push('quit'),
  };
  return { app, log, startAgain: () => secondInstance?.() };
}

describe('single instance', () => {
  it('lets the first Sealmail run and shows its window when Sealmail is started again', () => {
    const first = standInApp(true);
    const shown: string[] = [];
    expect(claimSingleInstance(first.app, () => shown.push('shown'))).toBe(true);
    first.startAgain();
    expect(shown).toEqual(['shown']);
    expect(first.log).toEqual([]);
  });

  it('quits a second Sealmail', () => {
    const second = standInApp(false);
    expect(claimSingleInstance(second.app, () => undefined)).toBe(false);
    expect(second.log).toEqual(['quit']);
  });
});
