// Baseline for a cold no-op: what verifying the outputs costs by hand. A plain Node script,
// no pixlock code, that walks a folder and sha256-hashes every file, as a user checking their
// generated images against a list of hashes would write it. Run: node bench/hash-outputs-baseline.mjs <dir>
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

let files = 0;
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile()) {
      createHash('sha256').update(readFileSync(p)).digest('hex');
      files++;
    }
  }
};
walk(process.argv[2]);
console.log(`${files} files hashed`);
