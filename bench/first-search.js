// Bytes a browser transfers for the first search on a built site: the search runtime, the
// index files a query needs and the records of its first page of results, each as gzip would
// send it, and the number of requests; then how long the same query takes once loaded.
// With --pagefind, Pagefind's first search of the same services is measured beside ours
// (bench/pagefind, which needs its npm packages: bash bench/pagefind/run.sh installs them).
//
//   node bench/first-search.js [--pagefind] SITE_DIR [QUERY ...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const REPO = path.resolve(__dirname, '..');
const search = require(path.join(REPO, 'themes', 'default', 'static', 'search.js'));

const args = process.argv.slice(2);
const withPagefind = args[0] === '--pagefind';
if (withPagefind) args.shift();
const site = args[0];
if (!site) throw new Error('usage: node bench/first-search.js [--pagefind] SITE_DIR [QUERY ...]');
const queries = args.slice(1).length ? args.slice(1) : ['garden', 'dementia saturday', 'demensia', 'cook'];

const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const runtime = fs.readdirSync(path.join(site, 'assets')).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
if (!runtime) throw new Error(`${site} has no assets/search.*.js`);
const runtimeBytes = gz(path.join(site, 'assets', runtime));

/** Median milliseconds of `runs` calls of `f`. */
async function medianMs(f, runs = 21) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await f();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

async function firstSearch(query) {
  const fetched = [];
  const get = (url) => {
    fetched.push(url);
    return Promise.resolve(JSON.parse(fs.readFileSync(url, 'utf8')));
  };
  const index = new search.Index(path.join(site, 'search') + '/', get);
  const result = await index.search(query, {});
  const bytes = runtimeBytes + fetched.reduce((sum, f) => sum + gz(f), 0);
  const ms = await medianMs(() => index.search(query, {}));
  return { query, results: result.total, requests: fetched.length + 1, kb: (bytes / 1024).toFixed(1), ms: ms.toFixed(2) };
}

(async () => {
  const ours = [];
  for (const q of queries) ours.push(await firstSearch(q));
  let theirs = null;
  if (withPagefind) {
    const { pagefindFirstSearch } = require('./pagefind/first-search.js');
    theirs = await pagefindFirstSearch(site, queries, { log: () => {} });
  }
  console.log(`first search on ${site} (gzip; our runtime, ${(runtimeBytes / 1024).toFixed(1)} KB, included)`);
  if (!theirs) {
    console.log('| query | results | requests | KB | ms once loaded |');
    console.log('|---|---|---|---|---|');
    for (const r of ours) console.log(`| ${r.query} | ${r.results} | ${r.requests} | ${r.kb} | ${r.ms} |`);
    return;
  }
  console.log(`| query | results | requests | KB | ms once loaded | Pagefind ${theirs.version} results | requests | KB |`);
  console.log('|---|---|---|---|---|---|---|---|');
  ours.forEach((r, i) => {
    const p = theirs.rows[i];
    console.log(`| ${r.query} | ${r.results} | ${r.requests} | ${r.kb} | ${r.ms} | ${p.results} | ${p.requests} | ${p.kb} |`);
  });
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
