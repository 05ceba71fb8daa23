// Prints the gzipped sizes of the loader and of the widget frame's JavaScript against their
// budgets (issue 3: loader ≤ 5 KB, widget ≤ 60 KB); exits non-zero when either is over. Run after
// `npm run build -w widget`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '../dist');
const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const frameScripts = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));

const results = [
  { name: 'loader.js', bytes: gzipped(path.join(dist, 'loader.js')), budget: 5 * 1024 },
  {
    name: 'frame JS',
    bytes: frameScripts.reduce((sum, f) => sum + gzipped(path.join(dist, 'assets', f)), 0),
    budget: 60 * 1024,
  },
];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
for (const { name, bytes, budget } of results) {
  const verdict = bytes <= budget ? 'OK' : 'OVER';
  console.log(`${name.padEnd(10)} ${kb(bytes).padStart(8)} gzipped (budget ${kb(budget)})  ${verdict}`);
}
if (results.some((r) => r.bytes > r.budget)) process.exitCode = 1;
