// The directory the common-term tests search (common.test.js, heavy.test.js): the demo's
// listings, each copied many times, with "garden" and "dementia" in most, built with the
// given dayopps binary. Also run alone to build one: node crowd.js ROOT DAYOPPS_BIN.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const COUNT = 2400;

/** A small pseudo-random generator, so every run builds the same directory. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The demo's site.yaml, pages and postcode table, with COUNT copies of its listings, each
 * with a title of its own and, most of them, "garden" and "dementia" a few times. */
function makeSite(root, bin) {
  fs.copyFileSync(path.join(REPO, 'site.yaml'), path.join(root, 'site.yaml'));
  fs.cpSync(path.join(REPO, 'data'), path.join(root, 'data'), { recursive: true });
  for (const folder of ['pages', 'images']) {
    fs.cpSync(path.join(REPO, 'content', folder), path.join(root, 'content', folder), { recursive: true });
  }
  const dir = path.join(root, 'content', 'listings');
  fs.mkdirSync(dir, { recursive: true });
  const from = path.join(REPO, 'content', 'listings');
  const demo = fs.readdirSync(from).filter((f) => f.endsWith('.md')).sort()
    .map((f) => [f.slice(0, -3), fs.readFileSync(path.join(from, f), 'utf8')]);
  const next = random(28);
  const some = (word, p) => (next() < p ? ` ${Array(1 + Math.floor(next() * 3)).fill(word).join(' ')}.` : '');
  // Words of no meaning, a few to a few dozen a service: lengths, and so scores, vary.
  const filler = () => Array.from({ length: Math.floor(next() * 40) }, () => `w${Math.floor(next() * 500).toString(36)}`).join(' ');
  for (let i = 0; i < COUNT; i++) {
    const [slug, text] = demo[i % demo.length];
    const copy = text.replace(/^title: (.*)$/m, (_, t) => `title: ${t} ${i}`)
      + `\nAlso${some('garden', 0.9)}${some('dementia', 0.7)} ${filler()}.\n`;
    fs.writeFileSync(path.join(dir, `${slug}-${i}.md`), copy);
  }
  execFileSync(bin, ['build', '--root', root, '--output', path.join(root, 'public')], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
}

module.exports = { COUNT, makeSite };

if (require.main === module) makeSite(process.argv[2], process.argv[3]);
