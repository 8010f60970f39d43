// Bytes a browser transfers for the first search with Pagefind on a built dayopps site, to set
// beside bench/first-search.js (our own search). Pagefind indexes a copy of the site (service
// pages only); headless Chromium then runs one search per query in a fresh browser context (cold
// cache) and loads the data of the first 20 results, as our search shows 20. Every file the
// browser fetches after the harness page itself is counted at min(size on disk, gzip -9 size):
// Pagefind's index files are gzipped on disk already, so gzipping them again saves nothing.
//
//   node bench/pagefind/first-search.js [--verbose] [--glob=PATTERN] SITE_DIR [QUERY ...]
//   const { pagefindFirstSearch } = require('./bench/pagefind/first-search.js');
//   await pagefindFirstSearch(siteDir, ['garden'], { glob }) // -> { version, pages, rows: [{ query, requests, kb, ... }] }
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawnSync } = require('node:child_process');

const HERE = __dirname;
const CHROMIUM = '/usr/bin/chromium';
const DEFAULT_QUERIES = ['garden', 'dementia saturday', 'demensia', 'cook'];
const GLOB = 'services/*/index.html'; // each service's page, not the A to Z list at services/index.html
const SHOWN = 20; // results whose data() is loaded: our search shows the first 20
const HARNESS = '__pagefind-first-search__.html';

const PAGEFIND_DIR = path.join(HERE, 'node_modules', 'pagefind');

function pagefindVersion() {
  return JSON.parse(fs.readFileSync(path.join(PAGEFIND_DIR, 'package.json'), 'utf8')).version;
}

// Runs the Pagefind CLI (the npm wrapper, which starts the platform binary) on dir.
function indexSite(dir, glob) {
  const pkg = JSON.parse(fs.readFileSync(path.join(PAGEFIND_DIR, 'package.json'), 'utf8'));
  const bin = path.join(PAGEFIND_DIR, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.pagefind);
  const run = spawnSync(process.execPath, [bin, '--site', dir, '--glob', glob], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0) {
    throw new Error(`pagefind exited with ${run.status}:\n${run.stdout}\n${run.stderr}`);
  }
  const entry = JSON.parse(fs.readFileSync(path.join(dir, 'pagefind', 'pagefind-entry.json'), 'utf8'));
  const pages = Object.values(entry.languages || {}).reduce((n, l) => n + (l.page_count || 0), 0);
  if (pages === 0) throw new Error(`pagefind indexed no pages matching ${glob}:\n${run.stdout}`);
  return pages;
}

// The page the browser opens: it loads nothing until window.firstSearch(q) is called, then
// imports Pagefind, searches, and loads the data of the first SHOWN results.
function harnessHtml() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Pagefind first search</title>
<script type="module">
window.firstSearch = async (query) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, ${SHOWN}).map((r) => r.data()));
  return { results: search.results.length, urls: shown.map((d) => d.url) };
};
window.harnessReady = true;
</script>
</head>
<body></body>
</html>
`;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

// A static file server on 127.0.0.1 that logs every path asked for, in order.
function serve(root) {
  const log = [];
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    const urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const file = path.join(root, urlPath);
    const entry = { path: urlPath, file: null, status: 404 };
    log.push(entry);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    entry.file = file;
    entry.status = 200;
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        log,
        base: `http://127.0.0.1:${server.address().port}`,
        busy: () => inFlight > 0,
      }),
    );
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until the server has answered everything and nothing new arrived for quietMs.
async function settle(srv, quietMs = 300, limitMs = 10000) {
  const end = Date.now() + limitMs;
  let seen = -1;
  while (Date.now() < end) {
    if (!srv.busy() && srv.log.length === seen) return;
    seen = srv.log.length;
    await sleep(quietMs);
  }
  throw new Error('requests still arriving after the search finished');
}

const sizeCache = new Map();
function bytesSent(file) {
  if (!sizeCache.has(file)) {
    const raw = fs.readFileSync(file);
    sizeCache.set(file, Math.min(raw.length, zlib.gzipSync(raw, { level: 9 }).length));
  }
  return sizeCache.get(file);
}

async function pagefindFirstSearch(siteDir, queries = DEFAULT_QUERIES, opts = {}) {
  const site = path.resolve(siteDir);
  if (!fs.existsSync(path.join(site, 'services'))) throw new Error(`${site} has no services/ directory`);
  const logInfo = opts.log || ((msg) => process.stderr.write(`${msg}\n`));
  const { chromium } = require(path.join(HERE, 'node_modules', 'playwright-core'));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pagefind-bench-'));
  let srv;
  let browser;
  try {
    fs.cpSync(site, tmp, { recursive: true });
    fs.rmSync(path.join(tmp, 'pagefind'), { recursive: true, force: true });
    const glob = opts.glob || GLOB;
    const pages = indexSite(tmp, glob);
    logInfo(`pagefind ${pagefindVersion()} indexed ${pages} pages (${glob})`);
    fs.writeFileSync(path.join(tmp, HARNESS), harnessHtml());

    srv = await serve(tmp);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    const rows = [];
    for (const query of queries) {
      const context = await browser.newContext(); // fresh profile: empty cache
      try {
        const page = await context.newPage();
        srv.log.length = 0;
        await page.goto(`${srv.base}/${HARNESS}`, { waitUntil: 'load' });
        await page.waitForFunction(() => window.harnessReady === true);
        const out = await page.evaluate((q) => window.firstSearch(q), query);
        await settle(srv);
        const fetched = srv.log.filter((e) => e.path !== `/${HARNESS}`);
        const missing = fetched.filter((e) => e.status !== 200);
        if (missing.length) throw new Error(`not found: ${missing.map((e) => e.path).join(', ')}`);
        const files = fetched.map((e) => ({ path: e.path, bytes: bytesSent(e.file) }));
        const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
        rows.push({
          query,
          requests: files.length,
          kb: (bytes / 1024).toFixed(1),
          bytes,
          results: out.results,
          shown: out.urls,
          files,
        });
      } finally {
        await context.close();
      }
    }
    return { version: pagefindVersion(), pages, rows };
  } finally {
    if (browser) await browser.close();
    if (srv) await new Promise((r) => srv.server.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { pagefindFirstSearch, DEFAULT_QUERIES };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opts = {};
  let verbose = false;
  while (args.length && args[0].startsWith('--')) {
    const flag = args.shift();
    if (flag === '--verbose') verbose = true;
    else if (flag.startsWith('--glob=')) opts.glob = flag.slice('--glob='.length);
    else {
      console.error(`unknown option ${flag}`);
      process.exit(2);
    }
  }
  const site = args[0];
  if (!site) {
    console.error('usage: node bench/pagefind/first-search.js [--verbose] [--glob=PATTERN] SITE_DIR [QUERY ...]');
    process.exit(2);
  }
  const queries = args.length > 1 ? args.slice(1) : DEFAULT_QUERIES;
  pagefindFirstSearch(site, queries, opts)
    .then(({ version, rows }) => {
      console.log(`first search with Pagefind ${version} on ${site} (gzip)`);
      console.log('| query | requests | KB |');
      console.log('|---|---|---|');
      for (const r of rows) console.log(`| ${r.query} | ${r.requests} | ${r.kb} |`);
      if (verbose) {
        for (const r of rows) {
          console.error(`\n${r.query}: ${r.results} results, data() of ${r.shown.length} loaded`);
          for (const f of r.files) console.error(`  ${String(f.bytes).padStart(8)}  ${f.path}`);
        }
      }
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
