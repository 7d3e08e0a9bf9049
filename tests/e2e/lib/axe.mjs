// Accessibility checks with axe-core (web/node_modules): the WCAG 2.0 and 2.1 rules of levels A
// and AA, which GB/T 37668 asks public web services to meet. axe is evaluated through the
// DevTools protocol, so the page's CSP (script-src 'self') stays as it is.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../lib/platform.mjs';

const require = createRequire(join(root, 'web/package.json'));
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the page as it is now; returns one line per serious or critical violation and
 * element: "what: rule (impact) help — element: why".
 */
export async function axeViolations(page, what) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    wcagTags,
  );
  const lines = [];
  for (const v of results.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    for (const node of v.nodes) {
      const why = (node.failureSummary || '').replace(/\s+/g, ' ').trim();
      lines.push(`${what}: ${v.id} (${v.impact}) ${v.help} — ${node.target.join(' ')}: ${why}`);
    }
  }
  return lines;
}
