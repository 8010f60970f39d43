'use strict';
// A site long enough to have pages, for pagination.test.js: the demo directory's site.yaml,
// data/ and content/ copied into a temporary folder, with COPIES more copies of each demo
// listing under new file names and titles, built with the dayopps binary given.
//
//   node lib/paged-site.js REPO DAYOPPS_BINARY OUT_DIR
//
// The demo has 47 services, so no list passes 50; five of each make 235, so the A to Z and
// the busiest days and needs run to several pages. Only this repository is needed.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const COPIES = 4;

/** The listing with its title changed to say which copy it is. */
function copyOf(text, n) {
  const changed = text.replace(/^title: (.*)$/m, (_, title) => `title: ${title} (copy ${n})`);
  if (changed === text) throw new Error('a demo listing has no `title:` line to change');
  return changed;
}

function build(repo, binary, out) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dayopps-paged-'));
  for (const part of ['site.yaml', 'data', 'content']) {
    fs.cpSync(path.join(repo, part), path.join(root, part), { recursive: true });
  }
  const listings = path.join(root, 'content', 'listings');
  for (const name of fs.readdirSync(listings).filter((f) => f.endsWith('.md'))) {
    const text = fs.readFileSync(path.join(listings, name), 'utf8');
    for (let n = 2; n <= COPIES + 1; n++) {
      fs.writeFileSync(path.join(listings, `${name.slice(0, -3)}-copy-${n}.md`), copyOf(text, n));
    }
  }
  execFileSync(binary, ['build', '--root', root, '--output', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.rmSync(root, { recursive: true, force: true });
}

if (require.main === module) {
  const [repo, binary, out] = process.argv.slice(2);
  if (!repo || !binary || !out) {
    console.error('usage: node lib/paged-site.js REPO DAYOPPS_BINARY OUT_DIR');
    process.exit(2);
  }
  build(path.resolve(repo), path.resolve(binary), path.resolve(out));
}

module.exports = { build };
