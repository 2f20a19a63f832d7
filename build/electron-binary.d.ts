// Types for build/electron-binary.js (a plain Node script, run before anything is compiled).
export function electronPackageDir(fromDir: string): string | null;
export function findElectronBinary(fromDir: string, env?: NodeJS.ProcessEnv): string | null;
export function missingElectronMessage(): string;
