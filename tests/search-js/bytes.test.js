// The byte budget of near-me search on the built site: sorting a first search by distance
// from a postcode adds at most 10 KB (gzip) to what the same search fetches unsorted, as
// bench/first-search.js counts it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { search, env } = require('./lib.js');

const BUDGET = 10 * 1024;
const site = env.site;
const meta = site && fs.existsSync(path.join(site, 'search', 'meta.json'))
  ? JSON.parse(fs.readFileSync(path.join(site, 'search', 'meta.json'), 'utf8'))
  : null;
const skip = !meta ? 'no site (SEARCH_SITE_DIR)' : !meta.near ? 'the site has no postcode table' : false;

/** An index over the site that adds up the gzipped bytes of the files it reads. */
function counted() {
  const read = [];
  const get = (url, optional) => {
    if (optional && !fs.existsSync(url)) return Promise.resolve(null);
    read.push(url);
    return Promise.resolve(JSON.parse(fs.readFileSync(url, 'utf8')));
  };
  const index = new search.Index(path.join(site, 'search') + '/', get);
  const bytes = () => read.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
  return { index, read, bytes };
}

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
