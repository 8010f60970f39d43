// Bytes a browser transfers for the first search on a built site: the search runtime, the
// index files a query needs, each as gzip would send it, and the number of requests.
//
//   node bench/first-search.js SITE_DIR [QUERY ...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const REPO = path.resolve(__dirname, '..');
const search = require(path.join(REPO, 'themes', 'default', 'static', 'search.js'));

const site = process.argv[2];
if (!site) throw new Error('usage: node bench/first-search.js SITE_DIR [QUERY ...]');
const queries = process.argv.slice(3).length ? process.argv.slice(3) : ['garden', 'dementia saturday', 'demensia', 'cook'];

const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const runtime = fs.readdirSync(path.join(site, 'assets')).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
if (!runtime) throw new Error(`${site} has no assets/search.*.js`);
const runtimeBytes = gz(path.join(site, 'assets', runtime));

async function firstSearch(query) {
  const fetched = [];
  const get = (url) => {
    fetched.push(url);
    return Promise.resolve(JSON.parse(fs.readFileSync(url, 'utf8')));
  };
  const index = new search.Index(path.join(site, 'search') + '/', get);
  await index.search(query, {});
  const bytes = runtimeBytes + fetched.reduce((sum, f) => sum + gz(f), 0);
  return { query, requests: fetched.length + 1, kb: (bytes / 1024).toFixed(1) };
}

(async () => {
  console.log(`first search on ${site} (gzip, runtime ${(runtimeBytes / 1024).toFixed(1)} KB included)`);
  console.log('| query | requests | KB |');
  console.log('|---|---|---|');
  for (const q of queries) {
    const r = await firstSearch(q);
    console.log(`| ${r.query} | ${r.requests} | ${r.kb} |`);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
