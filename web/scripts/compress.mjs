// Writes precompressed copies next to every text asset of the build: X.gz (gzip level 9)
// and X.br (brotli, best quality), so the server can send them without compressing per request.
// Usage: node scripts/compress.mjs [dist-dir]   (called by `npm run build`)
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = resolve(process.argv[2] || 'dist');
const compressible = /\.(js|mjs|css|html|svg|json)$/;

/** Every file under dir, recursively. */
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

let files = 0, raw = 0, gz = 0, br = 0;
for (const path of [...walk(dist)]) {
  if (/\.(gz|br)$/.test(path)) { unlinkSync(path); continue; } // left over from an earlier run
  if (!compressible.test(path)) continue;
  const data = readFileSync(path);
  const g = gzipSync(data, { level: 9 });
  const b = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  writeFileSync(path + '.gz', g);
  writeFileSync(path + '.br', b);
  files += 1; raw += data.length; gz += g.length; br += b.length;
}
const kB = (n) => (n / 1000).toFixed(1) + ' kB';
console.log(`compress: ${files} files, ${kB(raw)} → gzip ${kB(gz)}, brotli ${kB(br)}`);
if (files === 0 || !statSync(join(dist, 'index.html')).isFile()) process.exit(1);
