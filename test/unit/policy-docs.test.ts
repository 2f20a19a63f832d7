// The published policy documents (issue 7) are generated and must be current: the JSON Schema
// (docs/policy.schema.json) and the reference in docs/deploying.md come from
// build/write-policy-docs.js; the sample policy must be valid and use every setting.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyDocPaths, policyDocs } from '../../build/write-policy-docs.js';
import { parsePolicyText } from '../../core/policy/parse-policy.js';
import {
  ENCRYPTION_RULES_KEY,
  settingDefinitions,
  settingFields,
} from '../../core/policy/policy-document.js';
import { REFERENCE_END, REFERENCE_START } from '../../core/policy/policy-reference.js';

const regenerate = 'run `npx tsx build/write-policy-docs.js` and commit the result';
const everyKey = [...settingFields.map((field) => settingDefinitions[field].key), ENCRYPTION_RULES_KEY];

describe('the published policy documents', () => {
  it('docs/policy.schema.json is the current schema', async () => {
    const { schema } = await policyDocs();
    expect(readFileSync(policyDocPaths.schema, 'utf8'), regenerate).toBe(schema);
  });

  it('the policy reference in docs/deploying.md is current', async () => {
    const { deploying } = await policyDocs();
    expect(readFileSync(policyDocPaths.deploying, 'utf8'), regenerate).toBe(deploying);
  });

  it('the JSON Schema and the reference cover every setting', () => {
    const schema = JSON.parse(readFileSync(policyDocPaths.schema, 'utf8')) as {
      properties: { policies: { properties: Record<string, unknown>; additionalProperties: boolean } };
    };
    expect(Object.keys(schema.properties.policies.properties).sort()).toEqual([...everyKey].sort());
    expect(schema.properties.policies.additionalProperties).toBe(false);
    const deploying = readFileSync(policyDocPaths.deploying, 'utf8');
    const reference = deploying.slice(deploying.indexOf(REFERENCE_START), deploying.indexOf(REFERENCE_END));
    for (const key of everyKey) {
      expect(reference).toContain(`### \`${key}\``);
      // The hand-written "if broken" table names every setting too.
      expect(deploying.slice(0, deploying.indexOf(REFERENCE_START))).toContain(`| \`${key}\``);
    }
  });

  it('the sample policy is valid and sets every setting', () => {
    const text = readFileSync(policyDocPaths.sample, 'utf8');
    const reading = parsePolicyText(text, 'system');
    expect(reading.problems).toEqual([]);
    expect(Object.keys(reading.settings).sort()).toEqual([...settingFields].sort());
    expect(Object.keys((JSON.parse(text) as { policies: object }).policies).sort()).toEqual(
      [...everyKey].sort(),
    );
  });
});
