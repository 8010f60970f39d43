// The runtime's pure functions on a hand-made index: analysis, scoring, synonyms, typos,
// prefixes, filters and their live counts, and which files a query fetches.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { search } = require('./lib.js');
const fixture = require('./fixture/index.js');

const ids = (r) => r.hits.map((h) => h.id);
const run = (text, filters) => search.run(fixture.all(), text, filters);

test('analysis splits, lower-cases, folds and stems as tantivy does', () => {
  assert.deepEqual(search.analyze('Gardening CAFÉ, Dementia-friendly'), ['garden', 'cafe', 'dementia', 'friend']);
  assert.deepEqual(search.analyze('Fußball Œuvre naïve Ångström ＡＢＣ ①'), ['fussbal', 'oeuvr', 'naiv', 'angstrom', 'abc', '1']);
  assert.deepEqual(search.analyze("Alzheimer's over-65s"), ['alzheim', 's', 'over', '65s']);
  assert.deepEqual(search.analyze('a'.repeat(39) + ' ' + 'b'.repeat(40) + ' ' + 'é'.repeat(20)), ['a'.repeat(39)]);
  assert.deepEqual(search.analyze(' ,;  '), []);
});

test('the Porter2 stemmer', () => {
  const cases = {
    consign: 'consign', consigned: 'consign', knightly: 'knight', generously: 'generous',
    dying: 'die', inning: 'inning', innings: 'inning', proceed: 'proceed', proceeding: 'proceed',
    skies: 'sky', hopping: 'hop', hoping: 'hope', luxuriating: 'luxuri', caresses: 'caress',
    ponies: 'poni', ties: 'tie', gaps: 'gap', gas: 'gas', cry: 'cri', by: 'by', saying: 'say',
    biologist: 'biolog', university: 'universiti', pasted: 'paste', international: 'internat',
    added: 'add', evening: 'evening', yelling: 'yell',
  };
  for (const [word, stem] of Object.entries(cases)) assert.equal(search.stem(word), stem, word);
});

test('every word must match, and scores add up', () => {
  // dementia also expands to "memory loss", which Memory Café holds (3 + 2).
  const r = run('garden dementia');
  assert.deepEqual(r.hits.map((h) => [h.id, h.score]), [['memory-cafe', 1 + 4 + 5], ['garden-club', 6 + 1.5]]);
  assert.deepEqual(ids(run('garden quiet')), []);
});

test('a word matches its synonyms, each adding its score', () => {
  // garden -> horticultur, allot: Allotment Friends holds allot (5) and horticultur (1);
  // equal scores keep title order.
  assert.deepEqual(run('garden').hits.map((h) => [h.id, h.score]), [['allotment-friends', 6], ['garden-club', 6], ['memory-cafe', 1]]);
  assert.deepEqual(ids(run('allotments')), ['allotment-friends', 'garden-club', 'memory-cafe']);
});

test('a term in two synonym groups counts an entry they share once', () => {
  // Both groups hold "memory loss": Memory Café's 3 + 2 for it are added once, as tantivy adds them.
  const scores = (data) => search.run(data, 'dementia').hits.map((h) => [h.id, h.score]);
  const twice = fixture.all();
  twice.meta.synonyms.push([['dementia'], ['memori', 'loss']]);
  assert.deepEqual(scores(twice), scores(fixture.all()));
  assert.deepEqual(scores(twice), [['memory-cafe', 4 + 5], ['garden-club', 1.5]]);
});

test('a synonym of several words replaces them', () => {
  // "memory loss" -> memori+loss or dementia; Garden Club has dementia only.
  assert.deepEqual(run('memory loss').hits.map((h) => [h.id, h.score]), [['memory-cafe', 9], ['garden-club', 1.5]]);
});

test('no words: every service, in title order, with score 0', () => {
  assert.deepEqual(ids(run('')), ['allotment-friends', 'garden-club', 'memory-cafe', 'quiet-hub']);
  assert.ok(run('').hits.every((h) => h.score === 0));
});

test('near misses by length as typed: none below 4 letters, 1 edit at 4-7, 2 at 8+', () => {
  assert.deepEqual(ids(run('clb x')), []);                  // 3 letters: exact only
  assert.deepEqual(ids(run('qiuet')), ['quiet-hub']);       // transposition counts as one edit
  assert.deepEqual(ids(run('qxiet')), ['quiet-hub']);
  assert.deepEqual(ids(run('qxxet')), []);                  // 5 letters: two edits is too many
  assert.deepEqual(ids(run('demantya')), ['memory-cafe', 'garden-club']); // 8 letters: two edits
  assert.deepEqual(ids(run('dementia')), ['memory-cafe', 'garden-club']);
});

test('near misses only when the word itself is not in the index', () => {
  // "club" exists, so it does not also match near terms; "clubs" stems to club.
  assert.deepEqual(ids(run('clubs')), ['garden-club']);
});

test('the last word also matches as a prefix, not the others', () => {
  assert.deepEqual(ids(run('qu')), ['quiet-hub']);
  assert.deepEqual(ids(run('gar')), ['garden-club', 'memory-cafe']);
  assert.deepEqual(ids(run('gar hub')), []);
  assert.deepEqual(ids(run('hub qui')), ['quiet-hub']);
  assert.deepEqual(ids(run('q')), []);                       // one letter: no prefix
});

test('filters: OR within a facet, AND across facets, never changing scores', () => {
  assert.deepEqual(ids(run('', { needs: ['dementia'] })), ['garden-club', 'memory-cafe']);
  assert.deepEqual(ids(run('', { needs: ['dementia', 'autism'] })), ['garden-club', 'memory-cafe', 'quiet-hub']);
  assert.deepEqual(ids(run('', { needs: ['dementia', 'autism'], days: ['saturday'] })), ['garden-club', 'quiet-hub']);
  assert.deepEqual(ids(run('', { needs: ['older-people'], days: ['sunday'] })), []);
  assert.deepEqual(run('garden', { days: ['saturday'] }).hits.map((h) => [h.id, h.score]), [['allotment-friends', 6], ['garden-club', 6]]);
  assert.deepEqual(ids(run('', { days: ['sat'] })), ['allotment-friends', 'garden-club', 'quiet-hub']); // short day keys
  assert.deepEqual(ids(run('', { nonsense: ['x'] })).length, 4);
});

test('live counts: text matches with the value, under the other facets\' filters', () => {
  const none = run('');
  assert.deepEqual(none.counts, { needs: [2, 1, 2], days: [1, 3, 2] });
  // Words narrow every count.
  assert.deepEqual(run('garden').counts, { needs: [2, 0, 2], days: [1, 2, 1] });
  // A needs filter narrows the days counts but not the needs counts (OR within a facet).
  const r = run('', { needs: ['dementia'] });
  assert.deepEqual(r.counts, { needs: [2, 1, 2], days: [1, 1, 1] });
  const both = run('', { needs: ['dementia'], days: ['sunday'] });
  assert.deepEqual(both.counts, { needs: [1, 1, 0], days: [1, 1, 1] });
  assert.deepEqual(ids(both), ['memory-cafe']);
});

test('a facet\'s file is fetched only when filtered on or counted, and counts are exact then', async () => {
  const { index, fetched } = fakeSite();
  const plain = await index.search('garden', {});
  assert.deepEqual(plain.counts, {});
  assert.ok(!fetched.some((f) => f.startsWith('facets/')), `fetched ${fetched}`);
  // Counting one group fetches its file alone; its counts are those of everything loaded.
  const days = await index.search('garden', {}, 0, ['days']);
  assert.deepEqual(days.counts, { days: [1, 2, 1] });
  assert.deepEqual(fetched.filter((f) => f.startsWith('facets/')), ['facets/1.json']);
  // A filter fetches its facet's file, and the counts match a search with all loaded.
  const both = await index.search('', { needs: ['dementia'] }, 0, ['days']);
  assert.deepEqual(both.counts, run('', { needs: ['dementia'] }).counts);
  assert.deepEqual(both.hits.map((h) => h.doc), [1, 2]);
  assert.deepEqual(fetched.filter((f) => f.startsWith('facets/')), ['facets/1.json', 'facets/0.json']);
  // Filtering on a facet whose file is not loaded is a mistake run() reports.
  assert.throws(() => search.run(search.open(fixture.meta), '', { days: ['monday'] }), /not loaded/);
});

function fakeSite() {
  const files = fixture.files('/x/search/');
  const fetched = [];
  const get = (url) => {
    fetched.push(url.replace('/x/search/', ''));
    return url in files ? Promise.resolve(JSON.parse(JSON.stringify(files[url]))) : Promise.reject(new Error('404 ' + url));
  };
  return { index: new search.Index('/x/search/', get), fetched };
}

test('a query fetches meta, only the shards it needs and the chunks of its first results, once', async () => {
  const { index, fetched } = fakeSite();
  const r = await index.search('quiet', {});
  assert.deepEqual(ids(r), ['quiet-hub']);
  assert.deepEqual(fetched, ['meta.json', 'terms/8.json', 'docs/1.json']);
  await index.search('quiet hub', {});
  assert.deepEqual(fetched, ['meta.json', 'terms/8.json', 'docs/1.json', 'terms/5.json']);
  // Synonyms bring their shards.
  const g = await index.search('gardens', {});
  assert.deepEqual(ids(g), ['allotment-friends', 'garden-club', 'memory-cafe']);
  assert.ok(fetched.includes('terms/0.json') && fetched.includes('terms/4.json'));
});

test('only the first page of results is fetched; records() fetches more', async () => {
  const { index, fetched } = fakeSite();
  const r = await index.search('', { days: ['saturday'] }, 1);
  assert.equal(r.total, 3);
  assert.deepEqual(r.hits.map((h) => h.id), ['allotment-friends', undefined, undefined]);
  assert.deepEqual(fetched, ['meta.json', 'facets/1.json', 'docs/0.json']);
  const rest = await index.records(r.hits.slice(1));
  assert.deepEqual(rest.map((h) => h.record.t), ['Garden Club', 'Quiet Hub']);
  // A record's URL is made from meta's `services` and its id.
  assert.deepEqual(rest.map((h) => h.record.u), ['/services/garden-club/', '/services/quiet-hub/']);
  assert.deepEqual(fetched, ['meta.json', 'facets/1.json', 'docs/0.json', 'docs/1.json']);
  assert.equal(search.PAGE, 20);
});

test('a typo in the first letters looks in neighbouring shards', async () => {
  const { index, fetched } = fakeSite();
  // "uqiet": no term starts with "uq", so the shards of prefixes one edit from it are read.
  const r = await index.search('uqiet', {});
  assert.deepEqual(ids(r), ['quiet-hub']);
  assert.ok(fetched.includes('terms/8.json'));
  // A typo later in the word is found among the terms sharing its first two letters: the
  // shard of "quiet" and the one before, which could hold "qu" words before it.
  const { index: i2, fetched: f2 } = fakeSite();
  assert.deepEqual(ids(await i2.search('quiot', {})), ['quiet-hub']);
  assert.deepEqual(f2, ['meta.json', 'terms/8.json', 'terms/7.json', 'docs/1.json']);
});

test('edit distance counts a transposition as one', () => {
  assert.equal(search.osa('dementia', 'demetnia', 2), 1);
  assert.equal(search.osa('abc', 'abc', 1), 0);
  assert.equal(search.osa('abc', 'xyz', 1), 2);
  assert.equal(search.osa('kitten', 'sitting', 3), 3);
});

/** An index over hand-made files (a map of path to JSON), noting the paths it reads. */
function fromFiles(files) {
  const read = [];
  const get = (url) => { read.push(url); return Promise.resolve(JSON.parse(JSON.stringify(files[url]))); };
  return { index: new search.Index('', get), read };
}

// A common term as the build writes one (docs/search.md, "Common terms"), by hand: six
// services hold "walk"; the top keeps two, and two rest files of two services each hold the
// other four's scores. Service 2's true score (2.5) passes service 1's (2), which the top kept.
function commonIndex(more = {}) {
  const files = {
    'meta.json': { version: 5, count: 6, facets: [], synonyms: [], shards: ['stick'], prefixes: ['st', 'wa'], chunk: 6, block: 2, services: '/s/' },
    'terms/0.json': { ...more, walk: { all: [0, 1, 1, 1, 1, 1], low: 5000, rest: 0, top: [0, 30000, 1, 20000] }, walker: [2, 10000] },
    'rest/0.json': [25000, 5000],
    'rest/1.json': [5000, 5000],
    'docs/0.json': [0, 1, 2, 3, 4, 5].map((d) => ({ id: `s${d}`, t: `S${d}`, s: '', a: 'A', d: '' })),
  };
  return fromFiles(files);
}

const order = (r) => r.hits.map((h) => `s${h.doc}`);

test('a common term: its top answers what it makes certain, the rest files of the services it needs the others', async () => {
  const two = commonIndex();
  const first = await two.index.search('walk', {}, 2);
  assert.deepEqual(first.hits.slice(0, 2).map((h) => [h.id, h.score]), [['s0', 3], ['s1', 2]]);
  assert.equal(first.total, 6);
  assert.ok(!two.read.some((f) => f.startsWith('rest/')), 'two results need no rest file');
  // Three results: the third could be any of four services, scored at most 2 until read;
  // the block of the first two of them settles it (2.5 and 0.5), and the other is not read.
  const three = commonIndex();
  const r = await three.index.search('walk', {}, 3);
  assert.ok(three.read.includes('rest/0.json'));
  assert.ok(!three.read.includes('rest/1.json'), 'services 4 and 5 score at least 0.5 and at most 2: third at best');
  assert.deepEqual(order(r).slice(0, 3), ['s0', 's2', 's1']);
  assert.ok(r.certain >= 3, `${r.certain} certain`);
  // The first search, then a later page: the page makes the order past the top exact.
  const later = commonIndex();
  const result = await later.index.search('walk', {}, 2);
  assert.ok(result.certain >= 2 && result.certain < 6, `${result.certain} certain`);
  const page = await later.index.page(result, 2, 4);
  assert.deepEqual(page.map((h) => h.id), ['s1', 's3']);
  assert.deepEqual(order(result), ['s0', 's2', 's1', 's3', 's4', 's5']);
  // The near misses of "wallk" (walk, walker) take a service's best: loose too until read.
  const near = commonIndex();
  const miss = await near.index.search('wallk', {}, 3);
  assert.deepEqual(order(miss).slice(0, 3), ['s0', 's2', 's1']);
});

// What a loose score can be (at least `low`, at most the top's lowest) can place a service
// without its rest file: "walk stick", where "stick" is rare and tells them apart by more
// than "walk" can.
test('a loose score whose range cannot change the order needs no rest file', async () => {
  const { index, read } = commonIndex({ stick: [2, 90000, 2, 50000] });
  const data = await index.load();
  await index.shards([0]);
  assert.equal(search.run(data, 'walk', {}).certain, 2);
  const pair = search.run(data, 'walk stick', {});
  // Service 2 (9 + at most 2, at least 0.5) before service 4 (5 + the same): certain.
  assert.deepEqual(order(pair), ['s2', 's4']);
  assert.equal(pair.certain, 2);
  assert.ok(!read.some((f) => f.startsWith('rest/')));
});

// Two very common terms and their pair's file (docs/search.md, "Two very common words"), by
// hand: six services hold both "walk" and "talk", each term's top keeps one. True sums:
// s2 4.5, s0 4, s1 4, s4 1.5, s5 1.5, s3 1. The pair's file lists s2 and s0 and caps the
// others at s1's scores (3 and 1).
function pairIndex(synonyms = []) {
  const all = [0, 1, 1, 1, 1, 1];
  const files = {
    'meta.json': { version: 5, count: 6, facets: [], synonyms, shards: ['talk'], prefixes: ['ta', 'wa'], chunk: 6, block: 2, services: '/s/' },
    'terms/0.json': {
      talk: { all, low: 5000, rest: 3, top: [1, 30000], very: 0 },
      walk: { all, low: 5000, rest: 0, top: [0, 30000], very: 1 },
    },
    'rest/0.json': [10000, 25000], 'rest/1.json': [5000, 10000], 'rest/2.json': [5000],
    'rest/3.json': [10000, 20000], 'rest/4.json': [5000, 5000], 'rest/5.json': [10000],
    'pairs/0-1.json': { cap: [30000, 10000], top: [0, 10000, 30000, 2, 20000, 25000] },
    'docs/0.json': [0, 1, 2, 3, 4, 5].map((d) => ({ id: `s${d}`, t: `S${d}`, s: '', a: 'A', d: '' })),
  };
  return fromFiles(files);
}

test('two very common words: their pair\'s file places its services, and caps the others', async () => {
  for (const words of ['walk talk', 'talk walk']) {
    const { index, read } = pairIndex();
    const r = await index.search(words, {}, 2);
    assert.deepEqual(r.hits.slice(0, 2).map((h) => [h.id, h.score]), [['s2', 4.5], ['s0', 4]], words);
    assert.ok(r.certain >= 2, `${words}: ${r.certain} certain`);
    assert.ok(read.includes('pairs/0-1.json'), `${words}: no pair file read`);
    assert.ok(!read.some((f) => f.startsWith('rest/')), `${words}: read ${read.filter((f) => f.startsWith('rest/'))}`);
    // Past what the pair's file lists, rest files settle the order: s1 ties s0, after it.
    const page = await index.page(r, 2, 6);
    assert.deepEqual(page.map((h) => h.id), ['s1', 's4', 's5', 's3'], words);
  }
  // One word alone, or either in a synonym group, reads no pair file.
  const one = pairIndex();
  await one.index.search('walk', {}, 1);
  const synonym = pairIndex([[['walk'], ['stroll']]]);
  const r = await synonym.index.search('walk talk', {}, 2);
  assert.deepEqual(order(r).slice(0, 2), ['s2', 's0']);
  assert.ok(!one.read.concat(synonym.read).some((f) => f.startsWith('pairs/')));
});

// Three very common terms and their three pairs' files (docs/search.md, "Very common words
// together"), by hand: six services hold "sing", "talk" and "walk", each term's top keeps
// s0 (3), every other score is loose (at most 3) until its rest file comes. True sums: s0 9,
// s2 6, s1 3, s3 3, s4 1.5, s5 1.5. Each pair's file lists s0 and s2 and caps the others at
// s1's scores (1 and 1): in each two terms they score at most 2, so in all three at most 3.
function tripleIndex() {
  const all = [0, 1, 1, 1, 1, 1];
  const term = (rest, very) => ({ all, low: 5000, rest, top: [0, 30000], very });
  const block = { 0: [10000, 20000], 1: [10000, 5000], 2: [5000] };
  const files = {
    'meta.json': { version: 5, count: 6, facets: [], synonyms: [], shards: ['sing'], prefixes: ['si', 'ta', 'wa'], chunk: 6, block: 2, services: '/s/' },
    'terms/0.json': { sing: term(0, 0), talk: term(3, 1), walk: term(6, 2) },
    'docs/0.json': [0, 1, 2, 3, 4, 5].map((d) => ({ id: `s${d}`, t: `S${d}`, s: '', a: 'A', d: '' })),
  };
  for (let n = 0; n < 9; n++) files[`rest/${n}.json`] = block[n % 3];
  for (const key of ['0-1', '0-2', '1-2']) {
    files[`pairs/${key}.json`] = { cap: [10000, 10000], top: [0, 30000, 30000, 2, 20000, 20000] };
  }
  return fromFiles(files);
}

test('three very common words: their pairs\' files place the first page without a rest file', async () => {
  // Without the pairs' files, every loose service could score 9 and tie s0: nothing past it
  // is certain.
  const bare = tripleIndex();
  const data = await bare.index.load();
  await bare.index.shards([0]);
  assert.equal(search.run(data, 'walk talk sing', {}, null, 2).certain, 1);
  for (const words of ['walk talk sing', 'sing walk talk']) {
    const { index, read } = tripleIndex();
    const r = await index.search(words, {}, 2);
    assert.deepEqual(r.hits.slice(0, 2).map((h) => [h.id, h.score]), [['s0', 9], ['s2', 6]], words);
    assert.ok(r.certain >= 2, `${words}: ${r.certain} certain`);
    for (const key of ['0-1', '0-2', '1-2']) assert.ok(read.includes(`pairs/${key}.json`), `${words}: pairs/${key}.json not read`);
    assert.ok(!read.some((f) => f.startsWith('rest/')), `${words}: read ${read.filter((f) => f.startsWith('rest/'))}`);
    // Past what the pairs' files list, rest files settle the order: s1 ties s3, before it.
    const page = await index.page(r, 2, 6);
    assert.deepEqual(page.map((h) => [h.id, h.score]), [['s1', 3], ['s3', 3], ['s4', 1.5], ['s5', 1.5]], words);
  }
});
