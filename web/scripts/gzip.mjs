// Writes a precompressed .gz sibling next to every compressible file of the build,
// which `watchparty serve` sends with Content-Encoding: gzip to browsers that accept it.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const root = process.argv[2] || 'dist';
const compressible = /\.(html|js|mjs|css|svg|json|txt|map|webmanifest)$/;
let count = 0, before = 0, after = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { walk(p); continue; }
    if (!compressible.test(name)) continue;
    const raw = readFileSync(p);
    if (raw.length < 256) continue;
    const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
    if (gz.length >= raw.length) continue;
    writeFileSync(p + '.gz', gz);
    count++; before += raw.length; after += gz.length;
  }
}
walk(root);
console.log(`gzip: ${count} files, ${before} -> ${after} bytes`);
