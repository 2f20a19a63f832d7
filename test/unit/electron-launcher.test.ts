// `npm start` (build/start-electron.js) on a machine without Electron's binary: it must say so
// and how to get it, instead of downloading behind the user's back or failing obscurely. The
// binary lookup itself is checked on a made-up package layout.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../build/electron-binary.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'sealmail-launcher-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project whose node_modules/electron is installed, with or without its binary. */
function projectWithElectron(name: string, withBinary: boolean): string {
  const project = join(scratch, name);
  const electronDir = join(project, 'node_modules', 'electron');
  mkdirSync(join(electronDir, 'dist'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name":"p","type":"module"}');
  writeFileSync(
    join(electronDir, 'package.json'),
    '{"name":"electron","version":"45.4.1","main":"index.js"}',
  );
  writeFileSync(join(electronDir, 'index.js'), 'throw new Error("must not be run: it downloads");');
  if (withBinary) {
    writeFileSync(join(electronDir, 'path.txt'), 'electron');
    writeFileSync(join(electronDir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(electronDir, 'dist', 'electron'), 0o755);
  }
  return project;
}

describe('npm start without the Electron binary', () => {
  it('explains how to get Electron and points to dev:browser, and builds nothing', () => {
    const empty = mkdtempSync(join(scratch, 'no-electron-'));
    const run = spawnSync(process.execPath, ['build/start-electron.js'], {
      cwd: root,
      encoding: 'utf8',
      // Points the lookup at an empty directory, so the answer is the same on a machine that has
      // the binary.
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Electron's binary is not installed");
    expect(run.stderr).toContain('node node_modules/electron/install.js');
    expect(run.stderr).toContain('npm run dev:browser');
    expect(run.stdout).toBe('');
  });
});

describe('finding the Electron binary', () => {
  it("finds the binary the package's path.txt names", () => {
    const project = projectWithElectron('installed', true);
    expect(findElectronBinary(project, {})).toBe(
      join(project, 'node_modules', 'electron', 'dist', 'electron'),
    );
  });

  it('finds none when the download was skipped', () => {
    expect(findElectronBinary(projectWithElectron('skipped', false), {})).toBeNull();
  });

  it('finds none when the electron package is not installed at all', () => {
    const bare = join(scratch, 'bare');
    mkdirSync(bare, { recursive: true });
    writeFileSync(join(bare, 'package.json'), '{"name":"bare"}');
    expect(findElectronBinary(bare, {})).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as the electron package does', () => {
    const project = projectWithElectron('override', true);
    const custom = mkdtempSync(join(scratch, 'custom-'));
    writeFileSync(join(custom, 'electron'), '#!/bin/sh\n');
    expect(findElectronBinary(project, { ELECTRON_OVERRIDE_DIST_PATH: custom })).toBe(
      join(custom, 'electron'),
    );
  });
});
