// Measures what a first visit to a page downloads: serves dist/ locally (index.html for
// unknown paths, 401 for /api/session as for the public), opens the page in Debian's
// chromium and sums the .js.gz files of the scripts it loaded. The budget of the sign-in
// page is 300 kB.  Usage: npm run build && npm run size [-- /path]
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const page = process.argv[2] || '/login';
const budget = 300_000;
const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml' };

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path.startsWith('/api/')) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":{"code":"not_signed_in","message":"not signed in"}}');
    return;
  }
  let file = join(dist, normalize(path));
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const tab = await browser.newPage();
  const scripts = new Set();
  tab.on('response', (r) => { if (r.request().resourceType() === 'script') scripts.add(new URL(r.url()).pathname); });
  await tab.goto(`http://127.0.0.1:${server.address().port}${page}`, { waitUntil: 'networkidle' });
  let total = 0;
  for (const s of [...scripts].sort()) {
    const size = statSync(join(dist, s + '.gz')).size;
    total += size;
    console.log(`${(size / 1000).toFixed(1).padStart(8)} kB  ${s}`);
  }
  console.log(`${(total / 1000).toFixed(1).padStart(8)} kB  gzipped JavaScript for ${page} (${scripts.size} files)`);
  if (page === '/login' && total >= budget) {
    console.error(`over the ${budget / 1000} kB budget of the sign-in page`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  server.close();
}
