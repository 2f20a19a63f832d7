// Writes docs/policy.schema.json and the policy reference section of docs/deploying.md from
// core/policy (issue 7: "a policy reference generated from the schema"). Run it after changing a
// setting:  npx tsx build/write-policy-docs.js
// (tsx, because it imports core/'s TypeScript). test/unit/policy-docs.test.ts fails when the
// committed files differ from what this writes.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'prettier';
import { policyJsonSchema, renderPolicyReference, withReference } from '../core/policy/policy-reference.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export const policyDocPaths = {
  schema: `${root}docs/policy.schema.json`,
  sample: `${root}docs/sample-policies.json`,
  deploying: `${root}docs/deploying.md`,
};

/** The two generated texts, as they should be on disk (the schema formatted by Prettier). */
export async function policyDocs() {
  const schema = policyJsonSchema();
  const sample = JSON.parse(await readFile(policyDocPaths.sample, 'utf8'));
  const deploying = await readFile(policyDocPaths.deploying, 'utf8');
  return {
    schema: await format(JSON.stringify(schema), { parser: 'json', singleQuote: true, printWidth: 110 }),
    deploying: withReference(deploying, renderPolicyReference(schema, sample.policies)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const docs = await policyDocs();
  await writeFile(policyDocPaths.schema, docs.schema);
  await writeFile(policyDocPaths.deploying, docs.deploying);
  process.stdout.write(`wrote ${policyDocPaths.schema} and the reference in ${policyDocPaths.deploying}\n`);
}
