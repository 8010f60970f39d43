/* dayopps search in the browser. It reads the index the build writes into search/
   (meta.json, terms/<n>.json, rest/<n>.json, words/<n>.json, docs/<n>.json, facets/<n>.json;
   see docs/search.md), analyses words as
   tantivy does, scores as tantivy scores, and enhances the GET form of search.html.
   No framework, no build step. Under Node it only exports its pure functions. */
(function () {
  'use strict';

  // ---- Analysis: simple tokenizer, drop long tokens, lower-case, ASCII folding, stem.
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var FOLD = { 'ß': 'ss', 'æ': 'ae', 'ø': 'o', 'œ': 'oe', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th',
    'ı': 'i', 'ĸ': 'q', 'ŀ': 'l', 'ŉ': 'n', 'ŋ': 'n', 'ſ': 's', 'ĳ': 'ij', 'ƒ': 'f', 'ħ': 'h',
    'ŧ': 't', 'ƀ': 'b', 'ɨ': 'i', 'ʉ': 'u', 'ə': 'a', 'ǝ': 'e', 'ɛ': 'e', 'ɔ': 'o', 'ﬀ': 'ff',
    'ﬁ': 'fi', 'ﬂ': 'fl', 'ﬃ': 'ffi', 'ﬄ': 'ffl', 'ﬆ': 'st' };
  // Letters that lose their accents; and digits and letters that are superscript,
  // subscript, circled or full width.
  var LATIN = /[\u00c0-\u024f\u1e00-\u1eff]/;
  var COMPAT = /[\u00b2\u00b3\u00b9\u01c4-\u01cc\u01f1-\u01f3\u2070-\u209f\u2460-\u24ff\uff00-\uffef]/;
  var utf8 = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;

  function words(text) { return String(text).match(WORD) || []; }

  function fold(c) {
    if (c < '\u0080') return c;
    if (FOLD[c]) return FOLD[c];
    var d = COMPAT.test(c) ? c.normalize('NFKC') : c;
    if (d !== c || LATIN.test(c)) d = d.normalize('NFD').replace(/\p{M}/gu, '');
    return d === c ? c : d.replace(/[^]/gu, function (x) { return FOLD[x] || x; });
  }

  // One token (as split by words()) to its term, or null when tantivy drops it.
  function term(token) {
    if ((utf8 ? utf8.encode(token).length : token.length) >= 40) return null;
    var out = '';
    for (var c of token) out += c.toLowerCase().replace(/[^]/gu, fold);
    return stem(out);
  }

  function analyze(text) { return words(text).map(term).filter(Boolean); }

  // ---- The Snowball English (Porter2) stemmer, from the algorithm's description.
  var EXCEPTIONS = { skis: 'ski', skies: 'sky', idly: 'idl', gently: 'gentl', ugly: 'ugli',
    early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe',
    atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes' };
  var STEP2 = [['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'],
    ['iveness', 'ive'], ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'],
    ['ation', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'],
    ['fulli', 'ful'], ['ogist', 'og'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'],
    ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'], ['ogi', 'og'], ['li', '']];
  var STEP3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'],
    ['iciti', 'ic'], ['ative', ''], ['ical', 'ic'], ['ness', ''], ['ful', '']];
  var STEP4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate',
    'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic'];
  var PAIR = /[aeiouy][^aeiouy]/;

  function isV(c) { return !!c && 'aeiouy'.indexOf(c) >= 0; }
  function longest(w, list) {
    for (var i = 0; i < list.length; i++) {
      var s = typeof list[i] === 'string' ? list[i] : list[i][0];
      if (w.endsWith(s)) return [w.length - s.length, list[i]];
    }
    return null;
  }
  // A short syllable ends at `end`.
  function shortv(w, end) {
    var a = w[end - 1], b = w[end - 2], c = w[end - 3];
    if (a && !isV(a) && isV(b)) {
      if (end === 2 || (c && !isV(c) && 'wxY'.indexOf(a) < 0)) return true;
    }
    return w.slice(0, end).endsWith('past');
  }

  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    if (Array.from(word).length < 3) return word;
    var w = word.replace(/^'/, '').replace(/(^|[aeiouy])y/g, '$1Y');
    var p1 = w.length, p2 = w.length, m, b, r;
    m = /^(gener|commun|arsen|past|univers|later|emerg|organ|inter)/.exec(w) || PAIR.exec(w);
    if (m) {
      p1 = m.index + m[0].length;
      m = PAIR.exec(w.slice(p1));
      if (m) p2 = p1 + m.index + 2;
    }
    // Step 1a
    w = w.replace(/'s'$|'s$|'$/, '');
    if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (/ie[ds]$/.test(w)) { b = w.length - 3; w = w.slice(0, b) + (b > 1 ? 'i' : 'ie'); }
    else if (/[us]s$/.test(w)) { /* leave */ }
    else if (w.endsWith('s') && /[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);
    // Step 1b
    if ((m = /eed(ly)?$/.exec(w))) {
      if (m.index >= p1 && !/^(proc|exc|succ)$/.test(w.slice(0, m.index))) w = w.slice(0, m.index) + 'ee';
    } else if ((m = /(ed|edly|ing|ingly)$/.exec(w))) {
      var pre = w.slice(0, m.index);
      if (m[0] === 'ing' && /^[^aeiouy]y$/.test(pre)) w = pre[0] + 'ie';
      else if (m[0] === 'ing' && /^(inn|out|cann|herr|earr|even)$/.test(pre)) { /* leave */ }
      else if (/[aeiouy]/.test(pre)) {
        w = pre;
        if (/(at|bl|iz)$/.test(w)) w += 'e';
        else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) {
          if (!(w.length === 3 && 'aeo'.indexOf(w[0]) >= 0)) w = w.slice(0, -1);
        } else if (w.length === p1 && shortv(w, w.length)) w += 'e';
      }
    }
    // Step 1c
    if (/[yY]$/.test(w) && w.length > 2 && !isV(w[w.length - 2])) w = w.slice(0, -1) + 'i';
    // Step 2
    if ((r = longest(w, STEP2)) && r[0] >= p1) {
      b = r[0];
      if (r[1][0] === 'ogi' ? w[b - 1] === 'l' : r[1][0] !== 'li' || 'cdeghkmnrt'.indexOf(w[b - 1]) >= 0) {
        w = w.slice(0, b) + r[1][1];
      }
    }
    // Step 3
    if ((r = longest(w, STEP3)) && r[0] >= p1 && (r[1][0] !== 'ative' || r[0] >= p2)) {
      w = w.slice(0, r[0]) + r[1][1];
    }
    // Step 4
    if ((r = longest(w, STEP4)) && r[0] >= p2 && (r[1] !== 'ion' || /[st]/.test(w[r[0] - 1] || ''))) {
      w = w.slice(0, r[0]);
    }
    // Step 5
    b = w.length - 1;
    if (w[b] === 'e' ? b >= p2 || (b >= p1 && !shortv(w, b)) : w[b] === 'l' && b >= p2 && w[b - 1] === 'l') {
      w = w.slice(0, b);
    }
    return w.replace(/Y/g, 'y');
  }

  // ---- Searching the loaded index.
  // Typo tolerance grows with the word as typed: 4+ characters allow one edit, 8+ two.
  function distanceFor(word) { var n = Array.from(word).length; return n < 4 ? 0 : n < 8 ? 1 : 2; }

  // Optimal string alignment distance (a transposition is one edit), or max + 1.
  function osa(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 1; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      var low = max + 1;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
        d[i][j] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
    }
    return d[a.length][b.length];
  }

  // ---- The index files (docs/search.md): meta.json, terms/<n>.json, rest/<n>.json,
  // docs/<n>.json and facets/<n>.json.

  // A set of doc numbers as a facet's file writes it: gaps from the previous number, or a base64
  // bitset (bit d % 8 of byte d / 8).
  function docSet(encoded) {
    var out = [], d = 0;
    if (typeof encoded === 'string') {
      var bytes = atob(encoded);
      for (var i = 0; i < bytes.length; i++) {
        for (var k = 0, b = bytes.charCodeAt(i); k < 8; k++) if (b & (1 << k)) out.push(i * 8 + k);
      }
      return out;
    }
    encoded.forEach(function (gap) { d += gap; out.push(d); });
    return out;
  }

  // The loaded index: meta, and the facets, term shards and service records fetched so far;
  // a facet as each doc's value indexes ({facet: [[value index, ...] or undefined per doc]});
  // the common terms whose rest files are not all loaded yet ({term: {rest, loose, order,
  // at}}: the first rest file, the services whose scores are still to come, every one of them
  // in doc order, and each one's posting), and those a search has touched; the word lists.
  function open(meta) {
    return {
      meta: meta, f: {}, terms: {}, docs: {}, common: {}, restOf: {}, touched: {}, words: {},
      very: new Map(), pairs: {}
    };
  }

  // Facet n's file: each value's services, in value order.
  function addFacet(data, n, json) {
    var of = new Array(data.meta.count);
    json.forEach(function (encoded, v) {
      docSet(encoded).forEach(function (d) { (of[d] = of[d] || []).push(v); });
    });
    data.f[data.meta.facets[n].key] = of;
  }

  // [doc gap, score in ten-thousandths, ...] as [[doc, score, score], ...]: the quotient is
  // the number the score's decimal would parse to. A posting is [doc, most, least]: the most
  // and least its score can be, the same once it is known (see common()).
  function pairs(flat) {
    var list = [], d = 0;
    for (var i = 0; i < flat.length; i += 2) { d += flat[i]; list.push([d, flat[i + 1] / 10000, flat[i + 1] / 10000]); }
    return list;
  }

  // A common term ({all, low, rest, top}): every service holding it, those of `top` with their
  // own scores and the others ("loose") at most the lowest of those, which none of them
  // passes, and at least `low`, the lowest of all, until their rest file brings their own:
  // the loose services' scores in doc order, `block` a file, from file `rest` on.
  function common(data, t, v) {
    var top = new Map(), bound = Infinity, loose = new Set(), order = [], at = new Map();
    pairs(v.top).forEach(function (p) { top.set(p[0], p); bound = Math.min(bound, p[1]); });
    var list = docSet(v.all).map(function (d) {
      if (top.has(d)) return top.get(d);
      var p = [d, bound, v.low / 10000];
      loose.add(d); order.push(d); at.set(d, p);
      return p;
    });
    var info = { rest: v.rest, loose: loose, order: order, at: at, index: new Map() };
    if (v.very !== undefined) data.very.set(t, v.very);
    order.forEach(function (d, i) { info.index.set(d, i); });
    data.common[t] = info;
    for (var b = 0; b * data.meta.block < order.length; b++) data.restOf[v.rest + b] = t;
    return list;
  }

  // A shard's postings per term: [[doc, score], ...] in doc order.
  function addShard(data, n, json) {
    var terms = {};
    Object.keys(json).forEach(function (t) {
      terms[t] = Array.isArray(json[t]) ? pairs(json[t]) : common(data, t, json[t]);
    });
    data.terms[n] = terms;
  }

  // Service d's own score in the common term t, when it is still loose there.
  function settle(data, t, d, score) {
    var c = data.common[t];
    if (!c || !c.loose.has(d)) return;
    var p = c.at.get(d);
    p[1] = p[2] = score / 10000;
    c.loose.delete(d);
    if (!c.loose.size) delete data.common[t];
  }

  // A common term's rest file: the own scores of a block of its loose services.
  function addRest(data, n, json) {
    var t = data.restOf[n], c = data.common[t];
    if (!c) return;
    var order = c.order, from = (n - c.rest) * data.meta.block;
    json.forEach(function (score, k) { settle(data, t, order[from + k], score); });
  }

  // How many very common words of one query read their pairs' files: four take six files.
  var PAIRED_MOST = 4;

  // The very common terms of a query in no synonym group (a synonym adds other terms' scores,
  // which a pair's file does not hold), at most PAIRED_MOST, and the pair of each two of them
  // (docs/search.md, "Very common words together"): [{key, terms}], the terms of each in the
  // order of their numbers.
  function pairsOf(data, text) {
    var ts = [];
    parse(text).forEach(function (q) {
      var t = q.term;
      if (!t || ts.indexOf(t) >= 0 || !data.very.has(t)) return;
      if (data.meta.synonyms.some(function (g) { return names(g, t); })) return;
      ts.push(t);
    });
    ts = ts.slice(0, PAIRED_MOST);
    var out = [];
    ts.forEach(function (a, i) {
      ts.slice(i + 1).forEach(function (b) {
        var two = data.very.get(a) < data.very.get(b) ? [a, b] : [b, a];
        out.push({ key: data.very.get(two[0]) + '-' + data.very.get(two[1]), terms: two });
      });
    });
    return out;
  }

  // A pair's file: the services it ranks first with their own scores in both terms, and the
  // two scores of the one it ranks next, whose sum no other service holding both passes.
  function addPair(data, pair, json) {
    var listed = new Set(), d = 0, top = json.top;
    for (var i = 0; i < top.length; i += 3) {
      d += top[i];
      listed.add(d);
      settle(data, pair.terms[0], d, top[i + 1]);
      settle(data, pair.terms[1], d, top[i + 2]);
    }
    var cap = json.cap ? json.cap[0] / 10000 + json.cap[1] / 10000 : undefined;
    data.pairs[pair.key] = { listed: listed, cap: cap };
  }

  // The rest files that bring the own scores of these services in the common terms `terms`
  // that still hold them loose.
  function restFiles(data, docs, terms) {
    var files = {};
    terms.forEach(function (t) {
      var c = data.common[t];
      if (!c) return;
      docs.forEach(function (d) {
        if (c.loose.has(d)) files[c.rest + Math.floor(c.index.get(d) / data.meta.block)] = 1;
      });
    });
    return Object.keys(files).map(Number);
  }

  // A chunk of records; each one's URL is made from its id, as the build makes it.
  function addChunk(data, n, json) {
    json.forEach(function (record, i) {
      record.u = data.meta.services + record.id + '/';
      data.docs[n * data.meta.chunk + i] = record;
    });
  }

  // The file whose range holds t, of those starting at `starts`: the last one starting at or
  // before it (-1: none).
  function fileOf(starts, t) {
    var lo = 0, hi = starts.length - 1, at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }
  function shardOf(meta, t) { return fileOf(meta.shards, t); }

  // The files (of those starting at `starts`) holding the terms that start with `prefix`.
  function filesFrom(starts, prefix) {
    var out = [], last = fileOf(starts, prefix + '\uffff');
    for (var n = Math.max(0, fileOf(starts, prefix)); n <= last; n++) out.push(n);
    return out;
  }
  // The shards, or word lists when the index has them, of the terms that start with `prefix`.
  function shardsFrom(meta, prefix) { return filesFrom(meta.words || meta.shards, prefix); }

  function prefixOf(t) { return Array.from(t).slice(0, 2).join(''); }

  // Shards (or word lists) that may hold a term within `max` edits of t that its own two first
  // letters miss:
  // those of every other two-letter prefix that some start of t, 2 - max to 2 + max
  // characters long, is within `max` edits of.
  function neighbours(meta, t, max) {
    var own = prefixOf(t), out = {};
    meta.prefixes.forEach(function (p) {
      if (p === own || Array.from(p).length < 2) return;
      for (var n = Math.max(0, 2 - max); n <= 2 + max; n++) {
        if (osa(Array.from(t).slice(0, n).join(''), p, max) <= max) {
          shardsFrom(meta, p).forEach(function (s) { out[s] = 1; });
          return;
        }
      }
    });
    return Object.keys(out).map(Number);
  }

  // The query as words: [{word, term, last}].
  function parse(text) {
    var ws = words(text);
    return ws.map(function (w, i) { return { word: w, term: term(w), last: i === ws.length - 1 }; });
  }

  // Whether synonym group g names the term t, alone or in a phrase.
  function names(g, t) { return g.some(function (e) { return e.indexOf(t) >= 0; }); }

  // Every shard the exact terms and synonyms of a query live in.
  function shardsFor(meta, text) {
    var need = {};
    var want = function (t) { var n = shardOf(meta, t); if (n >= 0) need[n] = 1; };
    parse(text).forEach(function (q) {
      if (!q.term) return;
      want(q.term);
      meta.synonyms.forEach(function (g) {
        if (names(g, q.term)) {
          g.forEach(function (e) { e.forEach(want); });
        }
      });
    });
    return Object.keys(need).map(Number);
  }

  // A term's postings; a common one is noted as touched by the search.
  function postings(data, t) {
    var shard = data.terms[shardOf(data.meta, t)];
    var list = (shard && Object.prototype.hasOwnProperty.call(shard, t) && shard[t]) || null;
    if (list) touch(data, t);
    return list;
  }
  function touch(data, t) { if (data.common[t]) data.touched[t] = 1; }

  // Documents holding every term of an entry, with the sum of their scores: the most they
  // can be (k = 1) or the least (k = 2).
  function every(data, entry, k) {
    var out = null;
    entry.forEach(function (t) {
      var next = new Map();
      (postings(data, t) || []).forEach(function (p) {
        if (!out || out.has(p[0])) next.set(p[0], (out ? out.get(p[0]) : 0) + p[k]);
      });
      out = next;
    });
    return out || new Map();
  }

  function add(into, from) { from.forEach(function (s, d) { into.set(d, (into.get(d) || 0) + s); }); return into; }

  // Whether t is a near miss of the query word q: within its edits, or, for the last word,
  // a term it starts.
  function isNear(q, t) {
    var max = distanceFor(q.word);
    return (q.last && Array.from(q.term).length >= 2 && t.startsWith(q.term)) || (max > 0 && osa(q.term, t, max) <= max);
  }

  // Near misses of one word among the terms of the given shards: each document scores the
  // best score of the near terms it holds.
  function nearMisses(data, q, shards, k) {
    var out = new Map();
    k = k || 1;
    shards.forEach(function (s) {
      var terms = data.terms[s] || {};
      Object.keys(terms).forEach(function (t) {
        if (isNear(q, t)) {
          touch(data, t);
          terms[t].forEach(function (p) { if (!(out.get(p[0]) >= p[k])) out.set(p[0], p[k]); });
        }
      });
    });
    return out;
  }

  // The shards of the near misses of q in the given word lists (all loaded).
  function nearShards(data, q, lists) {
    var out = {};
    lists.forEach(function (n) {
      data.words[n].forEach(function (t) { if (isNear(q, t)) out[shardOf(data.meta, t)] = 1; });
    });
    return Object.keys(out).map(Number);
  }

  // One query word's matches: its term, its synonyms, and near misses when the term is absent.
  function wordMatches(data, q, near, k) {
    // Each alternative once: a term in two groups that share an entry would otherwise count
    // that entry's matches twice (tantivy's side, query.rs, takes each once too).
    var alts = [[q.term]], seen = new Set([q.term]);
    data.meta.synonyms.forEach(function (g) {
      if (!g.some(function (e) { return e.length === 1 && e[0] === q.term; })) return;
      g.forEach(function (e) {
        var key = e.join(' ');
        if (!seen.has(key)) { seen.add(key); alts.push(e); }
      });
    });
    var out = new Map();
    alts.forEach(function (e) { add(out, every(data, e, k)); });
    if (!postings(data, q.term)) add(out, near(q));
    return out;
  }

  // A synonym of several words that the query continues with at i: [length, group].
  function phrase(meta, qs, i) {
    for (var g = 0; g < meta.synonyms.length; g++) {
      var group = meta.synonyms[g];
      for (var e = 0; e < group.length; e++) {
        var entry = group[e];
        if (entry.length > 1 && entry.length <= qs.length - i &&
            entry.every(function (t, k) { return qs[i + k].term === t; })) return [entry.length, group];
      }
    }
    return null;
  }

  // Which documents match the words, with scores (the most, k = 1, or the least, k = 2, that
  // they can be): a Map, or null for "every document".
  // A word's own matches, as made for the query, are noted in `words` ({term: Map}) when given.
  function match(data, text, near, k, words) {
    var qs = parse(text), clauses = [], i = 0, p;
    while (i < qs.length) {
      if ((p = phrase(data.meta, qs, i))) {
        var any = new Map();
        p[1].forEach(function (e) { add(any, every(data, e, k)); });
        clauses.push(any);
        i += p[0];
        continue;
      }
      if (qs[i].term) {
        clauses.push(wordMatches(data, qs[i], near, k));
        if (words) words[qs[i].term] = clauses[clauses.length - 1];
      }
      i++;
    }
    if (!clauses.length) return null;
    return clauses.reduce(function (acc, c) {
      var out = new Map();
      acc.forEach(function (s, d) { if (c.has(d)) out.set(d, s + c.get(d)); });
      return out;
    });
  }

  // The facets a search with these filters needs loaded: those filtered on.
  function filtered(meta, filters) {
    return meta.facets.map(function (f) { return f.key; }).filter(function (k) {
      return filters && filters[k] && filters[k].length;
    });
  }

  // filters: {facet: [value keys]}; a doc passes when each facet has one of its values.
  function filterSets(data, filters) {
    var out = {};
    data.meta.facets.forEach(function (f) {
      var wanted = (filters && filters[f.key]) || [];
      var idx = [];
      f.values.forEach(function (v, n) {
        if (wanted.some(function (w) { return w === v.key || (w.length >= 3 && v.key.indexOf(w) === 0); })) idx.push(n);
      });
      if (!wanted.length) return;
      if (!data.f[f.key]) throw new Error('facet ' + f.key + ' is filtered on but not loaded');
      out[f.key] = idx;
    });
    return out;
  }

  function passes(f, d, sets, skip) {
    for (var k in sets) {
      if (k !== skip && !(f[k][d] || []).some(function (n) { return sets[k].indexOf(n) >= 0; })) return false;
    }
    return true;
  }

  // Scores are sums in floating point, bounds made of other sums: this much over keeps a
  // bound above the score it stands for, whatever the rounding.
  var SLACK = 1e-9;

  // Lowers the most each service of `found` can score by what the loaded pairs' files of the
  // query's very common terms say (`most`: each word's own matches, as match() made them):
  // one that a pair's file does not list scores at most its `cap` in that pair's two terms.
  // Every way of covering the terms by pairs bounds the sum: one pair and the other terms'
  // own most; with three or four terms and every pair, each term is in n - 1 of the pairs,
  // so the pairs' sum over n - 1. A query of one pair's two words alone takes its capped sum
  // exactly, as the build ranks by that very sum; any other bound gets SLACK.
  function capByPairs(data, text, found, most) {
    var capped = pairsOf(data, text).map(function (p) { return { terms: p.terms, file: data.pairs[p.key] }; })
      .filter(function (p) { return p.file && p.file.cap !== undefined; });
    if (!capped.length) return;
    var terms = [];
    capped.forEach(function (p) { p.terms.forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); }); });
    var alone = terms.length === 2 && parse(text).filter(function (q) { return q.term; }).length === 2;
    var every = terms.length > 2 && capped.length === terms.length * (terms.length - 1) / 2;
    var maps = terms.map(function (t) { return most[t]; }), own = new Array(terms.length);
    var at = capped.map(function (p) { return [terms.indexOf(p.terms[0]), terms.indexOf(p.terms[1])]; });
    found.forEach(function (s, d) {
      var sum = 0, pairs = 0, best = s;
      for (var i = 0; i < maps.length; i++) sum += (own[i] = maps[i].get(d));
      for (var j = 0; j < capped.length; j++) {
        var file = capped[j].file, a = own[at[j][0]], b = own[at[j][1]], both = a + b;
        if (file.cap < both && !file.listed.has(d)) both = file.cap;
        pairs += both;
        best = Math.min(best, s - a - b + both);
      }
      if (every) best = Math.min(best, s - sum + pairs / (terms.length - 1));
      var bound = alone ? pairs : best + SLACK;
      if (bound < s) found.set(d, bound);
    });
  }

  // Search loaded data. Near misses look in the shards `nearShards(q)` names (default: all
  // loaded). Returns {hits: [{doc, id, score}], total, counts: {facet: [count per value]},
  // certain, common, unsure}, with counts for the loaded facets only; a hit's id is there when
  // its record is loaded. While a common term (of `common`) holds a hit's score loose, its
  // score is the most it can be: the first `certain` hits are in their true order, and
  // `unsure(n)` names the loose hits among the first n that their rest files would settle.
  // Past the first `need` hits (default all), only exact hits are counted certain: a loose
  // one's place costs a second pass over the postings.
  function run(data, text, filters, nearShards, need) {
    var near = function (k) {
      return function (q) { return nearMisses(data, q, nearShards ? nearShards(q) : Object.keys(data.terms), k); };
    };
    data.touched = {};
    var most = {}, found = match(data, text, near(1), 1, most);
    if (found) capByPairs(data, text, found, most);
    var f = data.f, sets = filterSets(data, filters), hits = [], counts = {};
    var loaded = data.meta.facets.filter(function (x) { return f[x.key]; });
    loaded.forEach(function (x) { counts[x.key] = x.values.map(function () { return 0; }); });
    for (var d = 0; d < data.meta.count; d++) {
      if (found && !found.has(d)) continue;
      for (var i = 0; i < loaded.length; i++) {
        var k = loaded[i].key, values = f[k][d];
        if (values && passes(f, d, sets, k)) values.forEach(function (n) { counts[k][n]++; });
      }
      if (passes(f, d, sets)) hits.push({ doc: d, id: data.docs[d] && data.docs[d].id, score: found ? found.get(d) : 0 });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    var touched = Object.keys(data.touched);
    var loose = touched.map(function (t) { return data.common[t].loose; });
    var isLoose = function (h) { return loose.some(function (s) { return s.has(h.doc); }); };
    // The least each score can be, made only when a loose hit's place is asked about.
    var low = null;
    // Whether hit i comes before every hit after it whatever their scores turn out to be:
    // the least its score can be passes the most the next one's can (hits are in that
    // order), or ties it with the next one after it in doc order. Scores only fall as rest
    // files come, so the first hits that do are in their true order and place.
    var before = function (i) {
      var h = hits[i], next = hits[i + 1];
      if (!next || !isLoose(h)) return true;
      if (!low) low = match(data, text, near(2), 2);
      var least = low.get(h.doc);
      return least > next.score || (least === next.score && h.doc < next.doc);
    };
    var certain = 0, upto = need === undefined ? Infinity : need;
    while (certain < hits.length && (certain < upto || !isLoose(hits[certain])) && before(certain)) certain++;
    // The loose hits that keep one of the first n from its place: on either side of a pair
    // out of order.
    var unsure = function (n) {
      var out = {};
      for (var i = certain; i < Math.min(n, hits.length); i++) {
        if (before(i)) continue;
        [hits[i], hits[i + 1]].forEach(function (h) { if (h && isLoose(h)) out[h.doc] = 1; });
      }
      return Object.keys(out).map(Number);
    };
    return { hits: hits, total: hits.length, counts: counts, certain: certain, common: touched, unsure: unsure };
  }

  // ---- Near me (docs/search.md): postcodes, distances and places, measured as
  // src/model/geo.rs measures them, so the browser, `serve` and the command line agree.
  var POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?([0-9][A-Z]{2})$/;
  var EARTH_RADIUS_METRES = 6371008.8, METRES_PER_MILE = 1609.344;
  // Tiles read for one page of near-me results at most; "Show more" reads further.
  var NEAR_TILES = 16;

  // "e105qx" -> "E10 5QX"; null when the text is not shaped like a UK postcode.
  function postcode(text) {
    var m = POSTCODE.exec(String(text).trim().toUpperCase());
    return m ? m[1] + ' ' + m[2] : null;
  }
  function sector(pc) { return pc.slice(0, Math.max(0, pc.length - 2)); }

  function rad(x) { return x * Math.PI / 180; }
  function metres(a, b) {
    var lat1 = rad(a[0]), lat2 = rad(b[0]), dLat = lat2 - lat1, dLon = rad(b[1] - a[1]);
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(Math.sqrt(h), 1));
  }
  // As geo::miles_text: tenths below ten miles, whole miles above.
  function milesText(miles) {
    var r = miles < 10 ? Math.round(miles * 10) / 10 : Math.round(miles);
    return r < 0.1 ? 'less than 0.1 miles' : r === 1 ? '1 mile' : r + ' miles';
  }

  // The tiles of places (meta.near), nearest first: {file, min}, min being no more than the
  // distance from `at` to anything in the tile.
  function tileOrder(near, at) {
    if (near.cell === null || near.cell === undefined) return [{ file: 'all', min: 0 }];
    var c = near.cell;
    var clamp = function (x, lo) { return Math.min(Math.max(x, lo), lo + c); };
    return near.tiles.map(function (t) {
      var corner = [clamp(at[0], t[0] * c), clamp(at[1], t[1] * c)];
      // The nearest point of a cell is not quite at the clamped latitude on a sphere: a
      // thousandth off keeps the bound below every real distance at these sizes.
      return { file: t[0] + '_' + t[1], min: metres(at, corner) * 0.999 };
    }).sort(function (a, b) { return a.min - b.min || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0); });
  }

  // A near-me search's state: the point, the tiles in order, how many are read, and each
  // service's nearest place read so far, [metres, place index].
  function nearState(meta, at) {
    return { at: at, order: tileOrder(meta.near, at), next: 0, best: new Map(), none: new Set(docSet(meta.near.none)) };
  }
  function addTile(state, places) {
    places.forEach(function (p) {
      var d = metres(state.at, [p[1], p[2]]), had = state.best.get(p[0]);
      if (!had || d < had[0] || (d === had[0] && p[3] < had[1])) state.best.set(p[0], [d, p[3]]);
    });
    state.next++;
  }
  // The hits (in the usual order) whose place in the distance order is already certain:
  // those no unread tile can come nearer than; then, once no other is left to place, the
  // services with no place, in the usual order.
  function nearOrder(state, hits) {
    var bound = state.next < state.order.length ? state.order[state.next].min : Infinity;
    var placed = [], rest = [], pending = 0;
    hits.forEach(function (h, i) {
      var b = state.best.get(h.doc);
      if (b && b[0] <= bound) placed.push({ hit: h, i: i, d: b[0] });
      else if (state.none.has(h.doc) || bound === Infinity) rest.push(h);
      else pending++;
    });
    // As search::near::order: by miles, then the usual order.
    placed.sort(function (a, b) { return a.d / METRES_PER_MILE - b.d / METRES_PER_MILE || a.i - b.i; });
    return placed.map(function (p) {
      p.hit.metres = p.d; p.hit.place = state.best.get(p.hit.doc)[1];
      return p.hit;
    }).concat(pending ? [] : rest);
  }
  // The services of a near-me page (`shown`, of `ordered`) whose place rests on a usual order
  // not yet certain: held loose by one of the common terms `terms`, and as near as another
  // result, or with no place (those are shown in the usual order) when the page shows one.
  function unsureNear(data, terms, shown, ordered) {
    var loose = terms.map(function (t) { return data.common[t] && data.common[t].loose; }).filter(Boolean);
    if (!loose.length) return [];
    var isLoose = function (d) { return loose.some(function (set) { return set.has(d); }); };
    var groups = new Map(), out = {};
    ordered.forEach(function (h) {
      var key = h.metres === undefined ? 'none' : h.metres / METRES_PER_MILE;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(h.doc);
    });
    shown.forEach(function (h) {
      var group = groups.get(h.metres === undefined ? 'none' : h.metres / METRES_PER_MILE);
      if (group.length < 2) return;
      group.forEach(function (d) { if (isLoose(d)) out[d] = 1; });
    });
    return Object.keys(out).map(Number);
  }

  // What a near-me result says of its distance: "1.2 miles, Riverside Hub", or why none.
  function distanceText(hit) {
    var r = hit.record || {};
    if (hit.metres === undefined) return r.w || 'Distance not known';
    var name = r.p && r.p[hit.place];
    return milesText(hit.metres / METRES_PER_MILE) + (name ? ', ' + name : '');
  }

  // How many results a search shows at first, and how many more each time after.
  var PAGE = 20;

  // The index at `base`, loaded with `get(url, optional) -> Promise<json>` (null for an
  // optional file that is not there); every file is fetched once.
  function Index(base, get) {
    this.base = base; this.get = get; this.data = null; this.loading = {};
  }
  Index.prototype.load = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.get(this.base + 'meta.json').then(function (meta) { return (self.data = open(meta)); });
    }
    return this.ready;
  };
  Index.prototype.files = function (folder, numbers, into) {
    var self = this;
    return Promise.all(numbers.map(function (n) {
      var file = folder + '/' + n + '.json';
      if (!self.loading[file]) {
        self.loading[file] = self.get(self.base + file).then(function (json) { into(self.data, n, json); });
      }
      return self.loading[file];
    }));
  };
  Index.prototype.shards = function (numbers) { return this.files('terms', numbers, addShard); };
  // The rest files that make these services' scores exact in the common terms `terms`.
  Index.prototype.rests = function (docs, terms) {
    return this.files('rest', restFiles(this.data, docs, terms), addRest);
  };
  // These pairs' files (pairsOf).
  Index.prototype.pairs = function (pairs) {
    return this.files('pairs', pairs.map(function (p) { return p.key; }), function (data, key, json) {
      addPair(data, pairs.find(function (p) { return p.key === key; }), json);
    });
  };
  // These word lists.
  Index.prototype.words = function (numbers) {
    return this.files('words', numbers, function (data, n, json) { data.words[n] = json; });
  };
  // Loads the shards near misses of the absent word q are looked for in, and resolves to
  // them. Without word lists: every shard of its first two letters, and when those hold
  // none, of every prefix that could (`neighbours`). With them: only the shards of the near
  // terms the lists of those letters (or, when they have none, of those prefixes) name.
  Index.prototype.nearFor = function (q) {
    var self = this, data = this.data, meta = data.meta, max = distanceFor(q.word);
    var own = shardsFrom(meta, prefixOf(q.term));
    var found = !meta.words ? this.shards(own).then(function () {
      if (nearMisses(data, q, own).size) return own;
      var wide = own.concat(neighbours(meta, q.term, max));
      return self.shards(wide).then(function () { return wide; });
    }) : this.words(own).then(function () {
      var near = nearShards(data, q, own);
      if (near.length) return near;
      var wide = neighbours(meta, q.term, max);
      return self.words(wide).then(function () { return nearShards(data, q, wide); });
    });
    return found.then(function (shards) { return self.shards(shards).then(function () { return shards; }); });
  };
  // The files of these facets (keys).
  Index.prototype.facets = function (keys) {
    var numbers = [];
    this.data.meta.facets.forEach(function (f, n) { if (keys.indexOf(f.key) >= 0) numbers.push(n); });
    return this.files('facets', numbers, addFacet);
  };
  // The records of these hits, fetched chunk by chunk and set on each as id and record.
  Index.prototype.records = function (hits) {
    var data = this.data, chunks = {};
    hits.forEach(function (h) { chunks[Math.floor(h.doc / data.meta.chunk)] = 1; });
    return this.files('docs', Object.keys(chunks).map(Number), addChunk).then(function () {
      hits.forEach(function (h) { h.record = data.docs[h.doc]; h.id = h.record && h.record.id; });
      return hits;
    });
  };
  // Near misses are looked for as `nearFor` says. The records of the first `show` hits
  // (default PAGE) come with the result, and live counts of the facets filtered on and of
  // those `counted` names (keys; default none), whose files are fetched for them. The first
  // `exact` hits (default `show`) are in their true order (`certain` of them at least): the
  // rest files that hold the scores of those still uncertain are fetched for them, a few
  // services at a time, until they are.
  Index.prototype.search = function (text, filters, show, counted, exact) {
    var self = this, near = {};
    return this.load().then(function (data) {
      var facets = self.facets(filtered(data.meta, filters).concat(counted || []));
      return Promise.all([facets, self.shards(shardsFor(data.meta, text))]).then(function () {
        var absent = parse(text).filter(function (q) { return q.term && !postings(data, q.term); });
        return Promise.all(absent.map(function (q) {
          return self.nearFor(q).then(function (shards) { near[q.term] = shards; });
        }));
      }).then(function () {
        return self.pairs(pairsOf(data, text));
      }).then(function () {
        var want = exact !== undefined ? exact : show !== undefined ? show : PAGE;
        var exactly = function () {
          var result = run(data, text, filters, function (q) { return near[q.term] || []; }, want);
          var upto = Math.min(want, result.total);
          if (result.certain >= upto) return result;
          return self.rests(result.unsure(upto), result.common).then(exactly);
        };
        return exactly();
      }).then(function (result) {
        result.text = text;
        result.filters = filters;
        return self.records(result.hits.slice(0, show === undefined ? PAGE : show)).then(function () { return result; });
      });
    });
  };

  // A search result's hits `from` to `to` with their records, in their true order: when
  // they are past its certain ones, the search is made again for them (the rest files of
  // its common terms fetched), and the result takes its order.
  Index.prototype.page = function (result, from, to) {
    var self = this;
    var ready = result.certain >= Math.min(to, result.total) ? Promise.resolve(result)
      : this.search(result.text, result.filters, 0, undefined, to).then(function (again) {
        result.hits = again.hits;
        result.certain = again.certain;
        return result;
      });
    return ready.then(function () { return self.records(result.hits.slice(from, to)); });
  };

  // Where a postcode is: [lat, lon], or null when the council's table does not hold it. The
  // sector's shard is fetched once; a sector with no shard (404) holds none.
  Index.prototype.locate = function (pc) {
    var self = this, file = 'postcodes/' + sector(pc).replace(' ', '-') + '.json';
    if (!this.loading[file]) this.loading[file] = this.get(this.base + file, true);
    return this.loading[file].then(function (shard) {
      return shard && Object.prototype.hasOwnProperty.call(shard, pc) ? shard[pc] : null;
    });
  };
  // Reads tiles nearest first until `want` hits are in certain order, or NEAR_TILES more
  // are read, or none is left; then fetches the records of the first `want`. Resolves to
  // the hits in order so far. Where the usual order places them (equally near services, and
  // those with no place), their scores are first made exact (`unsureNear`) and the search
  // made again (`state.again`), its hits taking the place of `hits`'.
  Index.prototype.nearPage = function (state, hits, want) {
    var self = this, read = 0;
    function step() {
      var ordered = nearOrder(state, hits);
      if (ordered.length >= want || state.next >= state.order.length || read >= NEAR_TILES) {
        var unsure = unsureNear(self.data, state.common || [], ordered.slice(0, want), ordered);
        if (unsure.length) {
          return self.rests(unsure, state.common).then(state.again).then(function (again) {
            hits.splice.apply(hits, [0, hits.length].concat(again.hits));
            return step();
          });
        }
        return self.records(ordered.slice(0, want)).then(function () { return ordered; });
      }
      var file = 'places/' + state.order[state.next].file + '.json';
      read++;
      if (!self.loading[file]) self.loading[file] = self.get(self.base + file);
      return self.loading[file].then(function (places) { addTile(state, places || []); return step(); });
    }
    return step();
  };
  // A search sorted by distance from `where` ({postcode: text} or {at: [lat, lon]}), with
  // `want` results in order (default PAGE) and live counts as search() gives them.
  // Resolves to the search's result with `near` ({state, ordered, label}), or to
  // {error: 'malformed' | 'unknown' | 'unavailable', postcode, example}: `example`, a postcode
  // of the council's own area, as the forms' hint gives.
  Index.prototype.nearSearch = function (text, filters, where, want, counted) {
    var self = this;
    return this.load().then(function (data) {
      if (!data.meta.near) return { error: 'unavailable' };
      var pc = where.at ? null : postcode(where.postcode);
      if (!where.at && !pc) return { error: 'malformed', postcode: String(where.postcode).trim(), example: data.meta.near.example };
      var at = where.at ? Promise.resolve(where.at) : self.locate(pc);
      return at.then(function (point) {
        if (!point) return { error: 'unknown', postcode: pc };
        // Distance orders first; equally near services, and those with no place, keep the
        // usual order: theirs is made certain where a page shows them (nearPage).
        var again = function () { return self.search(text, filters, 0, counted, 0); };
        return again().then(function (result) {
          var state = nearState(data.meta, point);
          state.again = again;
          state.common = result.common;
          return self.nearPage(state, result.hits, want === undefined ? PAGE : want).then(function (ordered) {
            result.near = { state: state, ordered: ordered, label: pc || 'your location' };
            return result;
          });
        });
      });
    });
  };

  var api = { words: words, term: term, analyze: analyze, stem: stem, osa: osa, run: run, open: open,
    addShard: addShard, addRest: addRest, addPair: addPair, pairsOf: pairsOf, addFacet: addFacet, addChunk: addChunk, shardsFor: shardsFor, neighbours: neighbours, Index: Index, PAGE: PAGE,
    postcode: postcode, sector: sector, metres: metres, milesText: milesText, tileOrder: tileOrder,
    nearState: nearState, addTile: addTile, nearOrder: nearOrder, distanceText: distanceText };
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }

  // ---- The pages: the search form, and near-me on facet value pages.
  if (!window.fetch || !window.history) return;

  function getJSON(url, optional) {
    return fetch(url).then(function (r) {
      if (optional && r.status === 404) return null;
      if (!r.ok) throw new Error(url);
      return r.json();
    });
  }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
    });
  }

  // What went wrong with a near-me search: for a postcode, the words of the pages `dayopps
  // serve` makes without JavaScript (search::near::NearError).
  function nearMessage(error, pc, example) {
    return {
      malformed: '\u201c' + Array.from(String(pc)).slice(0, 20).join('') + '\u201d is not a postcode: enter a full postcode, such as ' + example,
      unknown: pc + ' is not a postcode we know: check it, or try a postcode nearby',
      unavailable: 'This site has no postcode table, so services cannot be sorted by distance',
      denied: 'Your browser did not share your location. Enter a postcode instead, or allow this site to use your location in your browser settings',
      position: 'Your location could not be found. Enter a postcode instead',
      timeout: 'Finding your location took too long. Try again, or enter a postcode instead'
    }[error] || 'Sorting by distance is not working at the moment. Please try again';
  }

  // The postcode field's error: a message above the field and a summary at the top of the
  // page (GOV.UK's error summary), which takes focus when the person has just asked.
  // The page may come with one, from `dayopps serve`.
  var shownError = document.querySelector('.error-summary') ? '' : null;
  function clearNearError(input) {
    if (!input || shownError === null) return;
    shownError = null;
    var summary = document.querySelector('.error-summary'), message = document.getElementById(input.id + '-error');
    if (summary) summary.parentNode.removeChild(summary);
    if (message) message.parentNode.removeChild(message);
    input.closest('.form-group').classList.remove('form-group--error');
    input.classList.remove('input--error');
    input.setAttribute('aria-describedby', input.id + '-hint');
    document.title = document.title.replace(/^Error: /, '');
  }
  function showNearError(input, text, focus) {
    if (shownError !== text) {
      clearNearError(input);
      shownError = text;
      var id = input.id + '-error';
      input.closest('.form-group').classList.add('form-group--error');
      input.classList.add('input--error');
      input.insertAdjacentHTML('beforebegin', '<p id="' + id + '" class="error-message"><span class="visually-hidden">Error:</span> ' + esc(text) + '</p>');
      input.setAttribute('aria-describedby', input.id + '-hint ' + id);
      document.getElementById('main').insertAdjacentHTML('afterbegin',
        '<div class="error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">' +
        '<h2 class="error-summary__title" id="error-summary-title">There is a problem</h2>' +
        '<ul class="list error-summary__list"><li><a href="#' + input.id + '">' + esc(text) + '</a></li></ul></div>');
      document.title = 'Error: ' + document.title;
    }
    if (focus) document.querySelector('.error-summary').focus();
  }

  // "Use my location": shown only when the browser can find one, and asks only when pressed.
  function offerLocation(scope, status, found, failed) {
    var button = scope.querySelector('[data-near-locate]');
    if (!button || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      status.textContent = 'Finding your location';
      navigator.geolocation.getCurrentPosition(function (position) {
        found([position.coords.latitude, position.coords.longitude]);
      }, function (e) {
        failed(e.code === 1 ? 'denied' : e.code === 3 ? 'timeout' : 'position');
      }, { timeout: 15000, maximumAge: 300000 });
    });
  }

  // A card's distance, as the card macro shows it (data-distance: the row search.js made).
  function distanceRow(hit) {
    return '<div class="summary-list__row" data-distance><dt>Distance</dt><dd>' + esc(distanceText(hit)) + '</dd></div>';
  }
  // A card's distance row, made here or by `dayopps serve`.
  function distanceOf(li) {
    var rows = li.querySelectorAll('.summary-list__row');
    for (var i = 0; i < rows.length; i++) {
      var dt = rows[i].querySelector('dt');
      if (dt && dt.textContent === 'Distance') return rows[i];
    }
    return null;
  }

  var searchForm = document.querySelector('form[data-search-index]');
  if (searchForm) searchPage(searchForm);
  var nearForm = document.querySelector('form[data-near-index]');
  if (nearForm) facetPage(nearForm);

  // The search page: one closure over the form's elements and its state (the query, where from,
  // what is shown), longer than a screen as a whole though each function inside is short,
  // because they share that state and splitting it would pass it around by hand.
  function searchPage(form) {
    var input = form.querySelector('input[name="q"]');
    var nearInput = form.querySelector('input[name="near"]');
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"]'));
    var groups = Array.prototype.slice.call(form.querySelectorAll('details'));
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-list');
    var none = document.getElementById('search-none');
    var more = document.getElementById('search-more');
    var index = new Index(form.getAttribute('data-search-index'), getJSON);
    // Results the server rendered (dayopps serve) stay until the first change: they are the
    // same services in the same order, with more detail.
    var timer, latest = 0, served = list.children.length > 0, current = null, shown = 0;
    // Where results are sorted from: {postcode} as typed, {at} from "Use my location" (never
    // put in the address, which a person may share), or null.
    var where = null;

    function state() {
      var filters = {};
      boxes.forEach(function (b) { if (b.checked) (filters[b.name] = filters[b.name] || []).push(b.value); });
      return { q: input.value.trim(), filters: filters, where: where };
    }
    function toURL(push) {
      var p = new URLSearchParams(), s = state();
      if (s.q) p.set('q', s.q);
      if (where && where.postcode) p.set('near', postcode(where.postcode) || where.postcode);
      boxes.forEach(function (b) { if (b.checked) p.append(b.name, b.value); });
      var url = location.pathname + (String(p) ? '?' + p : '');
      if (url !== location.pathname + location.search) history[push ? 'pushState' : 'replaceState'](null, '', url);
    }
    function fromURL() {
      var p = new URLSearchParams(location.search);
      input.value = p.get('q') || '';
      boxes.forEach(function (b) { b.checked = p.getAll(b.name).indexOf(b.value) >= 0; });
      var near = (p.get('near') || '').trim();
      where = near && nearInput ? { postcode: near } : null;
      if (nearInput) nearInput.value = near;
    }
    function fromField() {
      var text = nearInput ? nearInput.value.trim() : '';
      if (text) where = { postcode: text };
      else if (!(where && where.at)) where = null;
    }
    function card(hit, near) {
      var doc = hit.record;
      return '<li class="card"><h2 class="card__title"><a href="' + esc(doc.u) + '">' + esc(doc.t) + '</a></h2>' +
        (doc.s ? '<p class="card__summary">' + esc(doc.s) + '</p>' : '') +
        '<dl class="summary-list summary-list--compact">' + (near ? distanceRow(hit) : '') +
        '<div class="summary-list__row"><dt>Area</dt><dd>' + esc(doc.a) +
        '</dd></div><div class="summary-list__row"><dt>Days</dt><dd>' + esc(doc.d || 'Times arranged with you') +
        '</dd></div></dl></li>';
    }
    function message(result, s) {
      var what = [], total = result.total;
      if (s.q) what.push(s.q);
      boxes.forEach(function (b) { if (b.checked) what.push(b.getAttribute('data-label') || b.value); });
      return (total === 0 ? 'No services' : total + (total === 1 ? ' service' : ' services')) +
        ' found' + (what.length ? ' for ' + what.join(', ') : '') +
        (result.near ? '. Sorted by distance from ' + result.near.label : '');
    }
    // The "Show more" button offers the next page while there is one.
    function offerMore() {
      var left = current ? current.total - shown : 0;
      if (!more) return;
      more.hidden = left <= 0;
      more.textContent = 'Show ' + Math.min(left, PAGE) + ' more ' + (Math.min(left, PAGE) === 1 ? 'service' : 'services');
    }
    // The facets whose boxes can be seen (not in a closed <details>): only their counts are
    // shown, so only their files are fetched (with those of the facets filtered on).
    function counted() {
      var keys = [];
      boxes.forEach(function (b) {
        var group = b.closest('details');
        if ((!group || group.open) && keys.indexOf(b.name) < 0) keys.push(b.name);
      });
      return keys;
    }
    // Each box's count, from the result; a count the result lacks (its group closed, its
    // facet not fetched) is blanked rather than left stale, except in the results
    // `dayopps serve` rendered, whose counts are right.
    function showCounts(result) {
      boxes.forEach(function (b) {
        var f = index.data.meta.facets.filter(function (x) { return x.key === b.name; })[0];
        var n = f ? f.values.map(function (v) { return v.key; }).indexOf(b.value) : -1;
        var count = b.parentNode.querySelector('[data-count]');
        if (!count || n < 0) return;
        if (result.counts[f.key]) count.textContent = '(' + result.counts[f.key][n] + ')';
        else if (!served) count.textContent = '';
      });
    }
    function show(result, s) {
      var near = result.near, active = s.q || Object.keys(s.filters).length || near;
      current = active ? result : null;
      if (!served) {
        var ordered = near ? near.ordered : result.hits;
        shown = active ? Math.min(ordered.length, PAGE) : 0;
        list.innerHTML = ordered.slice(0, shown).map(function (h) { return card(h, near); }).join('');
        offerMore();
      }
      showCounts(result);
      served = false;
      none.hidden = !active || result.total > 0;
      status.textContent = !active ? '' : message(result, s);
    }
    function broken(mine) {
      return function () {
        if (mine === latest) status.textContent = 'Search is not working at the moment. Please try again, or browse services instead.';
      };
    }
    // Searches as the form says; a postcode it cannot use is shown as an error (focused when
    // `asked`, the person having just pressed a button), with the results unsorted.
    function update(asked) {
      var s = state(), mine = ++latest;
      if (!s.where) {
        clearNearError(nearInput);
        return index.search(s.q, s.filters, undefined, counted()).then(function (result) { if (mine === latest) show(result, s); }, broken(mine));
      }
      return index.nearSearch(s.q, s.filters, s.where, undefined, counted()).then(function (result) {
        if (mine !== latest) return null;
        if (!result.error) { clearNearError(nearInput); show(result, s); return null; }
        showNearError(nearInput, nearMessage(result.error, result.postcode, result.example), asked);
        return index.search(s.q, s.filters, undefined, counted()).then(function (plain) { if (mine === latest) show(plain, s); });
      }, broken(mine));
    }

    // The next page of results; focus moves to the first of them, as the button may go.
    function showMore() {
      var result = current, from = shown, mine = latest, near = result && result.near;
      if (!result) return;
      var next = near
        ? index.nearPage(near.state, result.hits, from + PAGE).then(function (ordered) {
          near.ordered = ordered;
          return ordered.slice(from, from + PAGE);
        })
        : index.page(result, from, from + PAGE);
      next.then(function (hits) {
        if (mine !== latest) return;
        list.insertAdjacentHTML('beforeend', hits.map(function (h) { return card(h, near); }).join(''));
        shown = from + hits.length;
        offerMore();
        status.textContent = 'Showing ' + shown + ' of ' + result.total + ' services' +
          (near ? ', sorted by distance from ' + near.label : '');
        var link = list.children[from] && list.children[from].querySelector('a');
        if (link) link.focus();
      });
    }

    // A group opened: its facet's file is fetched and its counts filled in, the results
    // left as they are.
    function recount() {
      var s = state(), mine = latest;
      index.search(s.q, s.filters, 0, counted()).then(function (result) {
        if (mine === latest) showCounts(result);
      }, broken(mine));
    }

    if (more) more.addEventListener('click', showMore);
    groups.forEach(function (g) {
      g.addEventListener('toggle', function () { if (g.open) recount(); });
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { toURL(false); update(false); }, 200);
    });
    form.addEventListener('change', function (e) {
      if (e.target.type === 'checkbox') { clearTimeout(timer); toURL(true); update(false); }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault(); clearTimeout(timer); fromField(); toURL(true); update(true);
    });
    if (nearInput) {
      offerLocation(form, status, function (at) {
        where = { at: at };
        nearInput.value = '';
        toURL(true);
        update(true);
      }, function (error) {
        status.textContent = '';
        showNearError(nearInput, nearMessage(error), true);
      });
    }
    window.addEventListener('popstate', function () { fromURL(); update(false); });
    form.classList.add('js-enhanced');
    fromURL();
    update(true);
  }

  // A facet value page lists its services in title order; with a postcode, search.js puts
  // the same cards in order of distance, each saying how far it is. It is one closure over the
  // page's cards and form, for the same reason as searchPage.
  function facetPage(form) {
    var input = form.querySelector('input[name="near"]');
    var list = document.getElementById('near-list');
    var status = document.getElementById('near-status');
    if (!input || !list || !status) return;
    // The count alone: a page `dayopps serve` sorted also says from where.
    var cards = Array.prototype.slice.call(list.children), total = status.textContent.replace(/, nearest to .* first$/, '');
    var filters = {};
    filters[form.getAttribute('data-facet')] = [form.getAttribute('data-value')];
    var index = new Index(form.getAttribute('data-near-index'), getJSON), latest = 0;

    function unsorted() {
      cards.forEach(function (li) {
        var row = distanceOf(li);
        if (row) row.parentNode.removeChild(row);
        list.appendChild(li);
      });
      status.textContent = total;
    }
    // Every tile is read: a facet page shows all its services at once.
    function everyPlace(result) {
      var near = result.near;
      if (near.ordered.length >= result.total || near.state.next >= near.state.order.length) return result;
      return index.nearPage(near.state, result.hits, result.total).then(function (ordered) {
        near.ordered = ordered;
        return everyPlace(result);
      });
    }
    function sortBy(where, asked) {
      var mine = ++latest;
      if (!where) { clearNearError(input); unsorted(); return; }
      index.nearSearch('', filters, where, Infinity).then(function (result) {
        return result.error ? result : everyPlace(result);
      }).then(function (result) {
        if (mine !== latest) return;
        if (result.error) {
          unsorted();
          showNearError(input, nearMessage(result.error, result.postcode, result.example), asked);
          return;
        }
        clearNearError(input);
        var byUrl = {};
        cards.forEach(function (li) {
          var a = li.querySelector('a');
          if (a) byUrl[a.getAttribute('href')] = li;
        });
        result.near.ordered.forEach(function (hit) {
          var li = hit.record && byUrl[hit.record.u];
          if (!li) return;
          var row = distanceOf(li), dl = li.querySelector('dl');
          if (row) row.parentNode.removeChild(row);
          if (dl) dl.insertAdjacentHTML('afterbegin', distanceRow(hit));
          list.appendChild(li);
        });
        status.textContent = total + '. Sorted by distance from ' + result.near.label;
      }, function () {
        if (mine === latest) status.textContent = 'Sorting by distance is not working at the moment. Please try again.';
      });
    }
    function fromURL(asked) {
      var near = (new URLSearchParams(location.search).get('near') || '').trim();
      input.value = near;
      sortBy(near ? { postcode: near } : null, asked);
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var text = input.value.trim(), pc = postcode(text) || text;
      var url = location.pathname + (text ? '?near=' + encodeURIComponent(pc).replace(/%20/g, '+') : '');
      if (url !== location.pathname + location.search) history.pushState(null, '', url);
      sortBy(text ? { postcode: text } : null, true);
    });
    offerLocation(form, status, function (at) {
      input.value = '';
      if (location.search) history.pushState(null, '', location.pathname);
      sortBy({ at: at }, true);
    }, function (error) {
      status.textContent = total;
      showNearError(input, nearMessage(error), true);
    });
    window.addEventListener('popstate', function () { fromURL(false); });
    fromURL(true);
  }
})();
