// The byte budgets of the first search on the built site, as bench/first-search.js counts
// them (gzip, the runtime included): a small directory, whose terms fit one shard and whose
// services fit one chunk (the demo), answers in at most 4 requests and 36 KB; one of up to
// 10,000 services in at most 60 KB, and one of up to 100,000 in at most 150 KB (common.test.js
// checks the mechanism that keeps it there on a directory small enough to build in a test);
// none fetches a facet's file until a filter group is opened. Sorting a first search by
// distance from a postcode adds at most 10 KB to the same search unsorted.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { env, openNoting, gzipped } = require('./lib.js');

const BUDGET = 10 * 1024;
const site = env.site;
const meta = site && fs.existsSync(path.join(site, 'search', 'meta.json'))
  ? JSON.parse(fs.readFileSync(path.join(site, 'search', 'meta.json'), 'utf8'))
  : null;
const skip = !meta ? 'no site (SEARCH_SITE_DIR)' : !meta.near ? 'the site has no postcode table' : false;
const SMALL = { requests: 4, bytes: 36 * 1024 };
const LARGE = [{ services: 10000, bytes: 60 * 1024 }, { services: 100000, bytes: 150 * 1024 }];

/** An index over the site that adds up the gzipped bytes of the files it reads. */
const counted = () => openNoting(path.join(site, 'search'));

/** The runtime's gzipped bytes, paid by every first search. */
function runtimeBytes() {
  const assets = path.join(site, 'assets');
  const name = fs.readdirSync(assets).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
  assert.ok(name, `${assets} has no search.*.js`);
  return gzipped(path.join(assets, name));
}

test('a first search stays within its requests and bytes, and fetches no facet', { skip: !meta && 'no site (SEARCH_SITE_DIR)' }, async (t) => {
  const small = meta.shards.length === 1 && meta.chunk >= meta.count;
  const large = LARGE.find((b) => meta.count <= b.services);
  if (!small && !large) return t.skip(`${meta.count} services: no budget here`);
  const runtime = runtimeBytes();
  for (const query of ['', 'garden', 'dementia saturday', 'demensia', 'cook']) {
    const first = counted();
    await first.index.search(query, {});
    const requests = first.read.length + 1;
    const bytes = runtime + first.bytes();
    assert.ok(!first.read.some((f) => f.includes(`${path.sep}facets${path.sep}`)), `"${query}" fetched a facet's file`);
    if (small) {
      assert.ok(requests <= SMALL.requests, `"${query}": ${requests} requests, over ${SMALL.requests}`);
      assert.ok(bytes <= SMALL.bytes, `"${query}": ${bytes} bytes, over ${SMALL.bytes}`);
    } else {
      assert.ok(bytes <= large.bytes, `"${query}": ${bytes} bytes, over ${large.bytes}`);
    }
  }
});

/** Postcodes from three shards of the table: its first, middle and last. */
function postcodes() {
  const dir = path.join(site, 'search', 'postcodes');
  const shards = fs.readdirSync(dir).sort();
  return [0, shards.length >> 1, shards.length - 1].map((n) => {
    const shard = JSON.parse(fs.readFileSync(path.join(dir, shards[n]), 'utf8'));
    return Object.keys(shard)[0];
  });
}

test('near-me adds at most 10 KB to a first search', { skip }, async () => {
  for (const query of ['', 'garden', 'dementia']) {
    for (const postcode of postcodes()) {
      const plain = counted();
      await plain.index.search(query, {});
      const near = counted();
      const r = await near.index.nearSearch(query, {}, { postcode });
      assert.ok(!r.error, `near ${postcode}: ${r.error}`);
      const more = near.bytes() - plain.bytes();
      assert.ok(more <= BUDGET, `"${query}" near ${postcode} costs ${more} bytes more (${near.read.length} files): over ${BUDGET}`);
      assert.ok(near.read.some((f) => f.includes(`${path.sep}postcodes${path.sep}`)), 'no postcode shard was read');
    }
  }
});
