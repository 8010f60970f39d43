// Near-me search in the runtime: postcodes and distances as src/model/geo.rs has them, the
// order of results (distance, then the usual order, services with no place last), and the
// tiles a search reads: only as many as make its first page certain, and never a wrong order.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { search } = require('./lib.js');

/** A small pseudo-random generator, so every run checks the same cases. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const round5 = (x) => Math.round(x * 1e5) / 1e5;

/**
 * An index in the build's format (docs/search.md) for `places`, one list of [lat, lon] per
 * service (empty: no place), on a grid of `cell` degrees (null: one tile), with postcodes.
 * Returns the index and the files it fetched.
 */
function site(places, cell, postcodes) {
  const count = places.length;
  const files = {};
  const docs = places.map((ps, d) => ({
    id: `s${d}`, t: `Service ${d}`, s: '', a: 'Area', d: '',
    ...(ps.length ? { p: ps.map((_, k) => `Place ${d}.${k}`) } : { w: 'No place to travel to: Online (virtual)' }),
  }));
  const none = [];
  let last = 0;
  places.forEach((ps, d) => { if (!ps.length) { none.push(d - last); last = d; } });
  const tiles = {};
  places.forEach((ps, d) => ps.forEach(([lat, lon], k) => {
    const key = cell === null ? 'all' : `${Math.floor(round5(lat) / cell)}_${Math.floor(round5(lon) / cell)}`;
    (tiles[key] = tiles[key] || []).push([d, round5(lat), round5(lon), k]);
  }));
  for (const [key, list] of Object.entries(tiles)) files[`places/${key}.json`] = list;
  const near = cell === null ? { cell: null, none } : { cell, tiles: Object.keys(tiles).map((k) => k.split('_').map(Number)), none };
  near.example = 'E10 6QX';
  files['meta.json'] = { version: 3, count, facets: [], synonyms: [], shards: [], prefixes: [], chunk: count, services: '/services/', near };
  files['docs/0.json'] = docs;
  for (const [pc, at] of Object.entries(postcodes || {})) {
    const f = `postcodes/${search.sector(pc).replace(' ', '-')}.json`;
    (files[f] = files[f] || {})[pc] = at;
  }
  const fetched = [];
  const get = (url, optional) => {
    fetched.push(url);
    if (!(url in files)) return optional ? Promise.resolve(null) : Promise.reject(new Error(url));
    return Promise.resolve(JSON.parse(JSON.stringify(files[url])));
  };
  return { index: new search.Index('', get), fetched, files };
}

/** Every service with a place by distance from `at`, then the rest, as the spec says. */
function bruteForce(places, at) {
  const placed = [];
  const rest = [];
  places.forEach((ps, d) => {
    if (!ps.length) return rest.push(d);
    const ds = ps.map(([lat, lon]) => search.metres(at, [round5(lat), round5(lon)]));
    placed.push([Math.min(...ds), d]);
  });
  placed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return placed.map((p) => p[1]).concat(rest);
}

test('postcodes are normalised as geo::postcode does', () => {
  assert.equal(search.postcode('e10 5qx'), 'E10 5QX');
  assert.equal(search.postcode(' EC1A1BB '), 'EC1A 1BB');
  assert.equal(search.postcode('gir0aa'), 'GIR 0AA');
  assert.equal(search.postcode('E10 5Q'), null);
  assert.equal(search.postcode('12345'), null);
  assert.equal(search.postcode('E10  6QX'), null);
  assert.equal(search.postcode(''), null);
  assert.equal(search.sector('E10 6QX'), 'E10 6');
  assert.equal(search.sector('EC1A 1BB'), 'EC1A 1');
});

test('distances are measured and written as geo::metres and geo::miles_text do', () => {
  const d = search.metres([51.5074, -0.1278], [48.8566, 2.3522]);
  assert.ok(Math.abs(d - 343500) < 1000, String(d));
  assert.equal(search.metres([51.5, -0.1], [51.5, -0.1]), 0);
  assert.equal(search.milesText(0.04), 'less than 0.1 miles');
  assert.equal(search.milesText(0.26), '0.3 miles');
  assert.equal(search.milesText(0.98), '1 mile');
  assert.equal(search.milesText(1.24), '1.2 miles');
  assert.equal(search.milesText(2), '2 miles');
  assert.equal(search.milesText(12.4), '12 miles');
});

test('results go by distance, ties in the usual order, services with no place last with why', async () => {
  const places = [
    [[51.60, -0.02]], // far
    [], // online
    [[51.572, -0.0105]], // same place as 3: a tie, kept in doc order
    [[51.572, -0.0105]],
    [[51.70, 0.1], [51.5705, -0.0105]], // its second place is the nearer
  ];
  const { index } = site(places, null, { 'E10 6QX': [51.5705, -0.0105] });
  const r = await index.nearSearch('', {}, { postcode: 'e106qx' });
  assert.equal(r.near.label, 'E10 6QX');
  assert.deepEqual(r.near.ordered.map((h) => h.doc), [4, 2, 3, 0, 1]);
  assert.deepEqual(r.near.ordered.map(search.distanceText), [
    'less than 0.1 miles, Place 4.1', '0.1 miles, Place 2.0', '0.1 miles, Place 3.0',
    '2.1 miles, Place 0.0', 'No place to travel to: Online (virtual)',
  ]);
});

test('a postcode that is malformed, or not in the table, is an error, not an empty list', async () => {
  const { index, fetched } = site([[[51.5, 0]]], null, { 'E10 6QX': [51.5705, -0.0105] });
  assert.deepEqual(await index.nearSearch('', {}, { postcode: 'E10 6Q' }), { error: 'malformed', postcode: 'E10 6Q', example: 'E10 6QX' });
  assert.deepEqual(await index.nearSearch('', {}, { postcode: 'E10 6ZZ' }), { error: 'unknown', postcode: 'E10 6ZZ' });
  // A sector the table does not have: its shard is not there.
  assert.deepEqual(await index.nearSearch('', {}, { postcode: 'N1 1AA' }), { error: 'unknown', postcode: 'N1 1AA' });
  assert.deepEqual(fetched, ['meta.json', 'postcodes/E10-6.json', 'postcodes/N1-1.json']);
});

test('a site without a postcode table says near-me is not available', async () => {
  const { index, files } = site([[[51.5, 0]]], null, {});
  delete files['meta.json'].near;
  assert.deepEqual(await index.nearSearch('', {}, { postcode: 'E10 6QX' }), { error: 'unavailable' });
});

test('a point from the browser needs no postcode lookup', async () => {
  const { index, fetched } = site([[[51.5, 0]], [[51.6, 0]]], null, {});
  const r = await index.nearSearch('', {}, { at: [51.61, 0] });
  assert.equal(r.near.label, 'your location');
  assert.deepEqual(r.near.ordered.map((h) => h.id), ['s1', 's0']);
  assert.ok(!fetched.some((f) => f.startsWith('postcodes/')));
});

test('on a grid, the first page reads a few nearby tiles, and every page is in the true order', async () => {
  const rand = random(7);
  const places = [];
  for (let d = 0; d < 2000; d++) {
    if (rand() < 0.05) { places.push([]); continue; }
    const n = rand() < 0.2 ? 2 : 1;
    const ps = [];
    for (let k = 0; k < n; k++) ps.push([51.45 + rand() * 0.25, -0.2 + rand() * 0.35]);
    places.push(ps);
  }
  for (let trial = 0; trial < 8; trial++) {
    const at = [51.4 + rand() * 0.35, -0.25 + rand() * 0.45];
    const { index, fetched } = site(places, 0.01, {});
    const truth = bruteForce(places, at);
    const r = await index.nearSearch('', {}, { at }, 20);
    const tilesRead = fetched.filter((f) => f.startsWith('places/')).length;
    assert.ok(r.near.ordered.length >= 20, `trial ${trial}: ${r.near.ordered.length} certain`);
    assert.ok(tilesRead <= 16, `trial ${trial}: ${tilesRead} tiles for the first page`);
    assert.deepEqual(r.near.ordered.map((h) => h.doc), truth.slice(0, r.near.ordered.length), `trial ${trial}`);
    // Page after page until the end: still the true order, the placeless last.
    let ordered = r.near.ordered;
    while (ordered.length < places.length) {
      const before = ordered.length;
      ordered = await index.nearPage(r.near.state, r.hits, ordered.length + 400);
      assert.ok(ordered.length > before, 'each page adds results');
    }
    assert.deepEqual(ordered.map((h) => h.doc), truth, `trial ${trial}: the whole order`);
  }
});

test('with a query, distance orders the matches and the scores only break ties', async () => {
  const { search: s } = require('./lib.js');
  const data = s.open({ version: 3, count: 3, facets: [], synonyms: [], shards: ['a'], prefixes: ['ab'], chunk: 3 });
  s.addShard(data, 0, { abc: [0, 1, 1, 5, 1, 1] });
  const hits = s.run(data, 'abc', {}).hits; // doc 1 scores best
  assert.deepEqual(hits.map((h) => h.doc), [1, 0, 2]);
  const meta = { near: { cell: null, none: [] } };
  const state = s.nearState(meta, [51.5, 0]);
  s.addTile(state, [[0, 51.6, 0, 0], [1, 51.6, 0, 0], [2, 51.55, 0, 0]]);
  assert.deepEqual(s.nearOrder(state, hits).map((h) => h.doc), [2, 1, 0]);
});
