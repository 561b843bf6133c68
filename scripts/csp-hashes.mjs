// Replaces __INLINE_SCRIPT_HASHES__ in the built page's CSP with the sha256 of each inline
// <script> (Trunk writes one to start the app), so no 'unsafe-inline' is needed.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let html = readFileSync(file, 'utf8');
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}
if (!html.includes('__INLINE_SCRIPT_HASHES__')) {
  console.error(`${file}: no __INLINE_SCRIPT_HASHES__ placeholder (already processed?)`);
  process.exit(1);
}
html = html.replace('__INLINE_SCRIPT_HASHES__', hashes.join(' '));
writeFileSync(file, html);
console.log(`csp: ${hashes.length} inline script hash(es) written to ${file}`);
