// The JS analyzer against tantivy's (`dayopps terms`): every word of Debian's word list
// (wamerican) and every label of the demo's facets must give the same terms.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { search, env, haveSite, rustTerms } = require('./lib.js');

const WORDS = process.env.SEARCH_WORDS || '/usr/share/dict/american-english';

function compare(lines) {
  const rust = rustTerms(lines);
  const diffs = [];
  lines.forEach((line, i) => {
    const js = search.analyze(line).join(' ');
    if (js !== rust[i]) diffs.push(`${JSON.stringify(line)}: js ${JSON.stringify(js)}, tantivy ${JSON.stringify(rust[i])}`);
  });
  return diffs;
}

function report(what, lines, diffs) {
  console.log(`${what}: ${lines.length} lines, ${diffs.length} differences`);
  assert.equal(diffs.length, 0, `${diffs.length} of ${lines.length} differ; the first 20:\n${diffs.slice(0, 20).join('\n')}`);
}

test('every word of the word list', { skip: !haveSite || !fs.existsSync(WORDS) ? 'needs run.sh (site, dayopps, wamerican)' : false }, () => {
  const lines = fs.readFileSync(WORDS, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 50000, `only ${lines.length} words in ${WORDS}`);
  report('word list', lines, compare(lines));
});

test('every word of the demo vocabulary', { skip: !haveSite ? 'needs run.sh (site, dayopps)' : false }, () => {
  const meta = JSON.parse(fs.readFileSync(path.join(env.site, 'search', 'meta.json'), 'utf8'));
  const labels = [];
  for (const f of meta.facets) {
    labels.push(f.label);
    for (const v of f.values) labels.push(v.label, v.key);
  }
  const chunks = path.join(env.site, 'search', 'docs');
  for (const file of fs.readdirSync(chunks).sort()) {
    for (const d of JSON.parse(fs.readFileSync(path.join(chunks, file), 'utf8'))) labels.push(d.t, d.s, d.a);
  }
  const words = [...new Set(labels.flatMap((l) => search.words(l)))];
  report('demo vocabulary', words, compare(words));
  report('demo labels as lines', labels, compare(labels));
});
