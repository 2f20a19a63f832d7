// Policy documents the policy tests share: the published sample, and a helper that reads a
// document as the system or per-user file and merges it the way the app does.
import { readFileSync } from 'node:fs';
import type { EffectivePolicy } from '../../core/policy/effective-policy.js';
import { mergePolicies } from '../../core/policy/merge-policy.js';
import { readPolicyDocument, type PolicyReading } from '../../core/policy/parse-policy.js';

export const samplePolicyPath = new URL('../../docs/sample-policies.json', import.meta.url);

export interface PolicyDocument {
  policies: Record<string, unknown>;
  [key: string]: unknown;
}

export function samplePolicy(): PolicyDocument {
  return JSON.parse(readFileSync(samplePolicyPath, 'utf8')) as PolicyDocument;
}

export const SYSTEM_FILE = '/etc/sealmail/policies.json';
export const USER_FILE = '/home/alice/.config/sealmail/policies.json';

export function effectiveOf(system: unknown, user?: unknown): EffectivePolicy {
  const read = (document: unknown, role: 'system' | 'user'): PolicyReading =>
    readPolicyDocument(document, role);
  return mergePolicies(
    system === undefined ? null : { file: SYSTEM_FILE, reading: read(system, 'system') },
    user === undefined ? null : { file: USER_FILE, reading: read(user, 'user') },
  );
}

/** The sample's KM CA: a real certificate, so the KeyManagement examples validate. */
export function sampleCaPem(): string {
  const km = samplePolicy().policies['KeyManagement'] as { Value: { CACertificate: string } };
  return km.Value.CACertificate;
}
