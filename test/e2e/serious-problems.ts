// The axe-core check the e2e tests share (issue 6, Done-when 7): what axe rates serious or
// critical, contrast among them, as "rule: target" lines, so a failure names what to fix.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** Serious and critical axe-core findings under `selector` (empty when none). */
export async function seriousProblems(page: Page, selector = 'body'): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}
