// Bytes a browser transfers for the first search on a built site: the search runtime, the
// index files a query needs and the records of its first page of results, each as gzip would
// send it, and the number of requests; then how long the same query takes once loaded.
// With --pagefind, Pagefind's first search of the same services is measured beside ours
// (bench/pagefind, which needs its npm packages: bash bench/pagefind/run.sh installs them).
// When the site has a postcode table, the same first search sorted by distance from a postcode
// (--near, or the first postcode of the table's middle shard) is measured too, and its cost
// over the plain one printed beside it. With --files, what each folder of the index (terms,
// rest, words, docs, ...) adds to each plain first search is printed after the table.
//
//   node bench/first-search.js [--pagefind] [--files] [--near POSTCODE] SITE_DIR [QUERY ...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const REPO = path.resolve(__dirname, '..');
const search = require(path.join(REPO, 'themes', 'default', 'static', 'search.js'));

const args = process.argv.slice(2);
const withPagefind = args[0] === '--pagefind';
if (withPagefind) args.shift();
const withFiles = args[0] === '--files';
if (withFiles) args.shift();
let nearPostcode = null;
if (args[0] === '--near') {
  nearPostcode = args[1];
  args.splice(0, 2);
}
const site = args[0];
if (!site) throw new Error('usage: node bench/first-search.js [--pagefind] [--near POSTCODE] SITE_DIR [QUERY ...]');
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

/** An index over the site's files, noting each file it reads; a missing optional one is null. */
function openIndex() {
  const fetched = [];
  const get = (url, optional) => {
    if (optional && !fs.existsSync(url)) return Promise.resolve(null);
    fetched.push(url);
    return Promise.resolve(JSON.parse(fs.readFileSync(url, 'utf8')));
  };
  const index = new search.Index(path.join(site, 'search') + '/', get);
  const bytes = () => runtimeBytes + fetched.reduce((sum, f) => sum + gz(f), 0);
  return { index, fetched, bytes };
}

const meta = JSON.parse(fs.readFileSync(path.join(site, 'search', 'meta.json'), 'utf8'));
/** The postcode near-me searches are measured from. */
function defaultPostcode() {
  const dir = path.join(site, 'search', 'postcodes');
  const shards = fs.readdirSync(dir).sort();
  const shard = JSON.parse(fs.readFileSync(path.join(dir, shards[shards.length >> 1]), 'utf8'));
  return Object.keys(shard)[0];
}
const near = meta.near ? nearPostcode || defaultPostcode() : null;

async function firstSearch(query) {
  const plain = openIndex();
  const result = await plain.index.search(query, {});
  const ms = await medianMs(() => plain.index.search(query, {}));
  const row = { query, results: result.total, requests: plain.fetched.length + 1, kb: (plain.bytes() / 1024).toFixed(1), ms: ms.toFixed(2) };
  row.folders = {};
  for (const f of plain.fetched) {
    const folder = path.basename(path.dirname(f)) === 'search' ? path.basename(f) : path.basename(path.dirname(f));
    const had = row.folders[folder] || [0, 0];
    row.folders[folder] = [had[0] + 1, had[1] + gz(f)];
  }
  if (near) {
    const sorted = openIndex();
    const r = await sorted.index.nearSearch(query, {}, { postcode: near });
    if (r.error) throw new Error(`near ${near}: ${r.error}`);
    row.nearRequests = sorted.fetched.length + 1;
    row.nearKb = (sorted.bytes() / 1024).toFixed(1);
    row.nearMore = ((sorted.bytes() - plain.bytes()) / 1024).toFixed(1);
  }
  return row;
}

/** What each folder of the index adds to each first search: files, KB. */
function printFolders(rows) {
  for (const r of rows) {
    const parts = Object.entries(r.folders).sort().map(([k, [n, b]]) => `${k} ${n} files ${(b / 1024).toFixed(1)} KB`);
    console.log(`${r.query}: runtime ${(runtimeBytes / 1024).toFixed(1)} KB, ${parts.join(', ')}`);
  }
}

(async () => {
  const ours = [];
  for (const q of queries) ours.push(await firstSearch(q));
  let theirs = null;
  if (withPagefind) {
    const { pagefindFirstSearch } = require('./pagefind/first-search.js');
    theirs = await pagefindFirstSearch(site, queries, { log: () => {} });
  }
  console.log(`first search on ${site} (gzip; our runtime, ${(runtimeBytes / 1024).toFixed(1)} KB, included)` +
    (near ? `; near-me: the same search sorted by distance from ${near}` : '; near-me: no postcode table'));
  const nearHead = near ? ' near-me requests | near-me KB | KB more |' : '';
  const nearRule = near ? '---|---|---|' : '';
  const nearCells = (r) => (near ? ` ${r.nearRequests} | ${r.nearKb} | +${r.nearMore} |` : '');
  if (!theirs) {
    console.log(`| query | results | requests | KB | ms once loaded |${nearHead}`);
    console.log(`|---|---|---|---|---|${nearRule}`);
    for (const r of ours) console.log(`| ${r.query} | ${r.results} | ${r.requests} | ${r.kb} | ${r.ms} |${nearCells(r)}`);
    if (withFiles) printFolders(ours);
    return;
  }
  console.log(`| query | results | requests | KB | ms once loaded |${nearHead} Pagefind ${theirs.version} results | requests | KB |`);
  console.log(`|---|---|---|---|---|${nearRule}---|---|---|`);
  ours.forEach((r, i) => {
    const p = theirs.rows[i];
    console.log(`| ${r.query} | ${r.results} | ${r.requests} | ${r.kb} | ${r.ms} |${nearCells(r)} ${p.results} | ${p.requests} | ${p.kb} |`);
  });
  if (withFiles) printFolders(ours);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
