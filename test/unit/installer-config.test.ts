// Issue 7: the electron-builder configuration is valid against electron-builder's own schema, the
// installers IT needs are all there, the fuses are the hardened set, signing is skipped cleanly
// without credentials, and the MSI gains its KMURL property. Installers themselves cannot be built
// here (electron-builder downloads its tools); this is what can be checked without them.
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const repo = join(import.meta.dirname, '..', '..');

interface BuilderConfig {
  afterPack: string;
  msiProjectCreated: string;
  protocols: { name: string; schemes: string[] }[];
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[]; identity: string | null | undefined; notarize: boolean };
  nsis: { perMachine: boolean; oneClick: boolean; include: string };
  deb: { fpm: string[] };
  [key: string]: unknown;
}

const { configuration } = require(join(repo, 'build', 'installer-settings.cjs')) as {
  configuration(env: Record<string, string | undefined>): BuilderConfig;
};
const { sealmailFuses } = require(join(repo, 'build', 'fuses.cjs')) as {
  sealmailFuses: Record<string, boolean>;
};
const { fuseConfig } = require(join(repo, 'build', 'after-pack.cjs')) as {
  fuseConfig(platform: string): Record<string, unknown>;
};
const msiHook = require(join(repo, 'build', 'installer', 'msi-project-created.cjs')) as {
  (file: string): Promise<void>;
  withKmUrlProperty(wxs: string): string;
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };

const quietLogger = { isEnabled: false, add: () => undefined };

describe('the installer configuration', () => {
  it('passes electron-builder’s own schema, as electron-builder itself checks it', async () => {
    await expect(validateConfiguration(configuration({}), quietLogger)).resolves.toBeUndefined();
    // The file electron-builder actually loads is the same configuration.
    const loaded = require(join(repo, 'build', 'electron-builder.config.cjs')) as BuilderConfig;
    await expect(validateConfiguration(loaded, quietLogger)).resolves.toBeUndefined();
  });

  it('fails that schema for a misspelt option, so the check above can fail', async () => {
    await expect(
      validateConfiguration({ ...configuration({}), nsis: { perMachin: true } }, quietLogger),
    ).rejects.toThrow(/configuration\.nsis/);
  });

  it('builds every installer IT deploys: AppImage, deb, rpm, NSIS, MSI, dmg and pkg', () => {
    const config = configuration({});
    expect(config.linux.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.win.target).toEqual(['nsis', 'msi']);
    expect(config.mac.target).toEqual(['dmg', 'pkg']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
  });

  it('registers sealmail:// so the welcome mail’s link opens the enrollment wizard', () => {
    expect(configuration({}).protocols.flatMap((p) => p.schemes)).toEqual(['sealmail']);
  });

  it('names hooks and installer scripts that exist', () => {
    const config = configuration({});
    for (const file of [config.afterPack, config.msiProjectCreated, config.nsis.include])
      expect(existsSync(join(repo, file)), file).toBe(true);
    expect(existsSync(join(repo, 'build', 'installer', 'pkg-scripts', 'postinstall'))).toBe(true);
  });
});

describe('the fuses flipped after packing', () => {
  it('turn off RunAsNode, NODE_OPTIONS and --inspect, and load only an integrity-checked app.asar', () => {
    expect(sealmailFuses).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
  });

  it('decide every fuse this Electron knows, so a new one cannot slip through at its default', () => {
    const known = Object.keys(FuseV1Options).filter((name) => Number.isNaN(Number(name)));
    expect(Object.keys(sealmailFuses).sort()).toEqual(known.sort());
    const config = fuseConfig('linux');
    expect(config.strictlyRequireAllFuses).toBe(true);
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config.resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
  });
});

describe('signing and notarisation', () => {
  it('are skipped cleanly when no credentials are in the environment', () => {
    const mac = configuration({}).mac;
    expect(mac.identity).toBeNull();
    expect(mac.notarize).toBe(false);
  });

  it('are used when the environment provides them', () => {
    const mac = configuration({ CSC_LINK: '/secure/developer-id.p12', APPLE_TEAM_ID: 'ABCDE12345' }).mac;
    expect(mac.identity).toBeUndefined(); // electron-builder picks the identity from CSC_LINK
    expect(mac.notarize).toBe(true);
  });
});

describe('laying down the policy file', () => {
  it('gives the MSI a KMURL property written as a Group-Policy registry value, once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sealmail-msi-')), 'project.wxs');
    writeFileSync(file, '<Wix><Product Id="*"><Package /></Product></Wix>');
    await msiHook(file);
    await msiHook(file);
    const wxs = readFileSync(file, 'utf8');
    expect(wxs.match(/Id="KMURL"/g)).toHaveLength(1);
    expect(wxs).toContain('Key="SOFTWARE\\Policies\\Sealmail" Name="KmUrl"');
    expect(wxs.indexOf('Id="KMURL"')).toBeLessThan(wxs.indexOf('</Product>'));
  });

  it('refuses a project without a Product element rather than build an MSI without the property', () => {
    expect(() => msiHook.withKmUrlProperty('<Wix />')).toThrow(/no <\/Product>/);
  });

  it('puts build/installer/policies.json under /etc/sealmail in deb and rpm only when IT provides one', () => {
    const policy = join(repo, 'build', 'installer', 'policies.json');
    expect(configuration({}).deb.fpm).toEqual(
      existsSync(policy) ? [`${policy}=/etc/sealmail/policies.json`] : [],
    );
  });
});
