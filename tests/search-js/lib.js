// Shared by the tests: the runtime as the browser gets it, an index read from disk, and
// the reference (`dayopps terms` and `dayopps search`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');

/** The runtime as the browser gets it: the built site's minified asset when there is a site
 * (run.sh), so the tests check the very bytes served; else the theme's source. */
function runtimePath() {
  const site = process.env.SEARCH_SITE_DIR;
  const assets = site && path.join(site, 'assets');
  const built = assets && fs.existsSync(assets) && fs.readdirSync(assets).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
  return built ? path.join(assets, built) : path.join(REPO, 'themes', 'default', 'static', 'search.js');
}
const search = require(runtimePath());

/** An index over the files in `dir` (a site's search/ folder), loaded as the browser would. */
function openIndex(dir) {
  const get = (url) => Promise.resolve().then(() => JSON.parse(fs.readFileSync(url, 'utf8')));
  return new search.Index(dir.endsWith('/') ? dir : dir + '/', get);
}

/** An index over `dir` (a site's search/ folder) that notes every file it reads, for the
 * tests that count a search's requests and bytes; `bytes()` is their gzipped total.
 * `instead(url)`, when it gives something, is read in place of that file. */
function openNoting(dir, instead = () => undefined) {
  const read = [];
  const get = (url, optional) => {
    if (optional && !fs.existsSync(url)) return Promise.resolve(null);
    read.push(url);
    const other = instead(url);
    return Promise.resolve(other !== undefined ? other : JSON.parse(fs.readFileSync(url, 'utf8')));
  };
  const index = new search.Index(dir.endsWith('/') ? dir : dir + '/', get);
  return { index, read, bytes: () => read.reduce((sum, f) => sum + gzipped(f), 0) };
}

/** A file's size as a host sends it, gzipped at the highest level. */
const gzipped = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** The environment run.sh sets; tests needing it are skipped without it. */
const env = {
  site: process.env.SEARCH_SITE_DIR,
  root: process.env.SEARCH_ROOT,
  bin: process.env.DAYOPPS_BIN,
};
const haveSite = Boolean(env.site && env.root && env.bin && fs.existsSync(path.join(env.site, 'search', 'meta.json')));

/** `dayopps search` for a query: the slugs of its hits, best first. */
function tantivy(query, filters = {}, limit = 10) {
  const args = ['search', query, '--json', '--limit', String(limit), '--root', env.root];
  for (const [facet, values] of Object.entries(filters)) {
    for (const v of values) args.push('--filter', `${facet}=${v}`);
  }
  const out = JSON.parse(execFileSync(env.bin, args, { encoding: 'utf8' }));
  return out.hits.map((h) => ({ id: h.slug, score: h.score }));
}

/** `dayopps terms` for many lines at once. */
function rustTerms(lines) {
  const out = execFileSync(env.bin, ['terms'], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').slice(0, lines.length);
}

module.exports = { REPO, runtimePath, search, openIndex, openNoting, gzipped, env, haveSite, tantivy, rustTerms };
