// The JS runtime against tantivy (`dayopps search`) on the built demo site, both reading
// the same build. Exact and stemmed queries: the same top 10 in the same order (and the
// same services found). Typos, prefixes and synonyms: both put the intended service in
// their top 3 (intended services chosen by reading content/listings/).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, haveSite, openIndex, tantivy } = require('./lib.js');

const skip = haveSite ? false : 'needs run.sh (a built site and target/release/dayopps)';

// [query, filters]
const EXACT = [
  ['garden'], ['gardening'], ['gardens'], ['dementia'], ['saturday'], ['swimming'], ['swim'],
  ['cooking'], ['cookery'], ['music'], ['drama'], ['pottery'], ['football'], ['autism'],
  ['autistic'], ['wheelchair'], ['evening'], ['evenings'], ['library'], ['college'],
  ['volunteers'], ['volunteering'], ['employment'], ['recovery'], ['stroke'], ['deaf'],
  ['sight'], ['lunch'], ['dance'], ['kitchen'], ['training'], ['café'], ['CAFE'], ['club'],
  ['home'], ['online'], ['polish'], ['somali'], ['women'], ['friendship'], ['brain'],
  ['injury'], ['memory'],
  ['dementia saturday'], ['learning disabilities'], ['memory loss'], ['day centre'],
  ['older people'], ['mental health'], ['brain injury'], ['walking football'], ['art studio'],
  ['supported employment'], ['garden volunteers'], ['Dementia, on a Saturday!'],
  ['club', { days: ['saturday'] }],
  ['', { needs: ['dementia'] }],
  ['', { areas: ['kingsmere'], days: ['sunday'] }],
  ['music', { needs: ['learning-disabilities'] }],
  ['day', { when: ['weekends'] }],
  ['', { needs: ['dementia', 'older-people'] }],
  ['club', { needs: ['older-people', 'dementia'], days: ['saturday', 'sunday'] }],
  ['', {}],
];

// [kind, query, intended service, filters]
const NEAR = [
  ['typo', 'demensia', 'hollow-green-memory-cafe'],
  ['typo', 'gardning', 'riverside-garden-project'],
  ['typo', 'gadren', 'riverside-garden-project'],
  ['typo', 'swiming', 'hollow-green-inclusive-swimming'],
  ['typo', 'basketbal', 'wheelchair-basketball-club'],
  ['typo', 'wheelchiar', 'wheelchair-basketball-club'],
  ['typo', 'volunters', 'supported-volunteering-programme'],
  ['typo', 'autsim', 'quiet-room-autism-hub'],
  ['typo', 'sruvivors', 'stroke-survivors-club'],
  ['typo', 'dementai saturday', 'maple-lodge-day-club'],
  ['typo', 'footbal', 'wrenfield-walking-football'],
  ['typo', 'swiming', 'hollow-green-inclusive-swimming', { days: ['sunday'] }],
  ['prefix', 'gard', 'riverside-garden-project'],
  ['prefix', 'pott', 'clay-and-calm-pottery'],
  ['prefix', 'bask', 'wheelchair-basketball-club'],
  ['prefix', 'dram', 'open-stage-drama-group'],
  ['prefix', 'somal', 'somali-womens-wellbeing-circle'],
  ['prefix', 'polis', 'polish-seniors-club'],
  ['prefix', 'footb', 'wrenfield-walking-football'],
  ['prefix', 'survi', 'stroke-survivors-club'],
  ['prefix', 'brigh', 'brightside-arts-studio'],
  ['prefix', 'dementia sat', 'maple-lodge-day-club'],
  ['synonym', 'bike', 'freewheel-inclusive-cycling'],
  ['synonym', 'horticulture', 'riverside-garden-project'],
  ['synonym', 'pensioners', 'sunrise-asian-elders-day-centre'],
  ['synonym', 'zoom', 'connect-evening-online-club'],
  ['synonym', 'job', 'stepping-stones-employment'],
  ['synonym', 'choir', 'harmony-music-collective'],
  ['synonym', 'blind', 'sight-loss-skills-club'],
  ['synonym', 'hearing loss', 'deaf-connect-saturday-social'],
  ['synonym', 'pa', 'kingsmere-personal-assistants'],
  ['synonym', 'exercise', 'steady-and-strong-classes'],
  ['synonym', 'memory loss', 'hollow-green-memory-cafe', { days: ['tuesday'] }],
];

const label = (q, f) => JSON.stringify(q) + (f && Object.keys(f).length ? ' ' + JSON.stringify(f) : '');

test('at least 50 queries', () => assert.ok(EXACT.length + NEAR.length >= 50));

test('exact and stemmed queries: the same top 10, in the same order', { skip }, async () => {
  const index = openIndex(path.join(env.site, 'search'));
  const failures = [];
  for (const [q, f = {}] of EXACT) {
    const js = (await index.search(q, f, Infinity)).hits.map((h) => h.id);
    const all = tantivy(q, f, 10000).map((h) => h.id);
    if (JSON.stringify(js.slice(0, 10)) !== JSON.stringify(all.slice(0, 10))) {
      failures.push(`${label(q, f)}\n  js:      ${js.slice(0, 10).join(' ')}\n  tantivy: ${all.slice(0, 10).join(' ')}`);
    } else if (JSON.stringify([...js].sort()) !== JSON.stringify([...all].sort())) {
      failures.push(`${label(q, f)}: found ${js.length} services, tantivy ${all.length}`);
    }
  }
  console.log(`exact/stemmed: ${EXACT.length - failures.length} of ${EXACT.length} equal`);
  assert.equal(failures.length, 0, failures.join('\n'));
});

test('typos, prefixes and synonyms: the intended service in both top 3s', { skip }, async () => {
  const index = openIndex(path.join(env.site, 'search'));
  const failures = [];
  for (const [kind, q, slug, f = {}] of NEAR) {
    const js = (await index.search(q, f)).hits.slice(0, 3).map((h) => h.id);
    const rs = tantivy(q, f, 3).map((h) => h.id);
    if (!js.includes(slug) || !rs.includes(slug)) {
      failures.push(`${kind} ${label(q, f)}: want ${slug}\n  js:      ${js.join(' ')}\n  tantivy: ${rs.join(' ')}`);
    }
  }
  console.log(`typo/prefix/synonym: ${NEAR.length - failures.length} of ${NEAR.length} pass`);
  assert.equal(failures.length, 0, failures.join('\n'));
});
