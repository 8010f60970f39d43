'use strict';
// Near-me search in the browser: the order and distances of `dayopps search --near` for a
// few postcodes, on the search page and a facet value page; the messages for a postcode
// that is malformed or unknown; "Use my location" with the browser's permission and
// without; the keyboard alone; axe-core, the Nu Html Checker and 320 px reflow on each state.
//
//   SITE_DIR=target/demo-public DAYOPPS_BIN=target/debug/dayopps node --test near.test.js
//
// Skipped when the site has no postcode table (search/meta.json has no `near`).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { AxeBuilder } = require('@axe-core/playwright');

const { serve } = require('./lib/server');
const { Browser } = require('./lib/browser');
const { validate } = require('./lib/vnu');
const inpage = require('./lib/inpage');

const SITE_DIR = process.env.SITE_DIR || process.argv[2];
if (!SITE_DIR) throw new Error('Set SITE_DIR to the built site, e.g. SITE_DIR=target/demo-public');
const ROOT = path.resolve(SITE_DIR);
const REPO = path.resolve(__dirname, '..', '..');
const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'search', 'meta.json'), 'utf8'));
const SKIP = meta.near ? false : 'the site has no postcode table';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const TIMEOUT = 60_000;
// The demo's postcodes: in the borough's middle, at its edge, and on a service's doorstep.
const POSTCODES = (process.env.NEAR_POSTCODES || 'E10 6QX,E4 8HZ,E13 9HJ').split(',');

/** The binary whose `search --near` the browser must agree with. */
function binary() {
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target');
  if (process.env.DAYOPPS_BIN) return process.env.DAYOPPS_BIN;
  // The newer of the debug and release builds: an old one may predate the site's build.
  const found = [path.join(target, 'debug', 'dayopps'), path.join(target, 'release', 'dayopps')]
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!found.length) throw new Error('no dayopps binary: build it (cargo build) or set DAYOPPS_BIN');
  return found[0];
}

// The site's sources (site.yaml names the postcode table): SITE_ROOT, else the folder the
// site was built into (ROOT/public), else the demo's, at the repository's root.
const SOURCES = process.env.SITE_ROOT ||
  (fs.existsSync(path.join(path.dirname(ROOT), 'site.yaml')) ? path.dirname(ROOT) : REPO);
/** `dayopps search --near` as [{slug, distance}] in its order, every match. */
function cli(postcode, filters = {}) {
  const args = ['search', '', '--near', postcode, '--json', '--limit', '100000', '--root', SOURCES, '--output', ROOT];
  for (const [facet, value] of Object.entries(filters)) args.push('--filter', `${facet}=${value}`);
  const out = JSON.parse(execFileSync(binary(), args, { encoding: 'utf8' }));
  return out.hits.map((h) => ({ slug: h.slug, distance: h.distance }));
}

let server;
let browser;
const snapshots = []; // the near-me states' HTML, for the Nu Html Checker
let snapshotDir;

before(async () => {
  if (SKIP) return;
  server = await serve(ROOT);
  browser = await new Browser(server.origin).launch();
  snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'near-html-'));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (snapshotDir) fs.rmSync(snapshotDir, { recursive: true, force: true });
});

/** A page in a context of its own (for geolocation), refusing every other host. */
async function ownPage(options = {}) {
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', serviceWorkers: 'block', ...options });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${server.origin}/`)) return route.continue();
    browser.blocked.push({ url, from: route.request().frame()?.url?.() ?? '' });
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

const sorted = (page) => page.waitForFunction(
  () => /Sorted by distance from/i.test(document.querySelector('[role="status"]')?.textContent || ''), null, { timeout: 15_000 });

/** The results on the page: [{slug, distance}]. */
function results(page, list = '#search-list') {
  return page.evaluate((sel) => [...document.querySelectorAll(`${sel} > li`)].map((li) => ({
    slug: (li.querySelector('a').getAttribute('href').match(/\/services\/([^/]+)\/$/) || [])[1],
    distance: li.querySelector('[data-distance] dd')?.textContent.trim(),
  })), list);
}

/** Every result of the search page, pressing "Show more" until it goes. */
async function allResults(page) {
  for (;;) {
    const more = await page.$('#search-more:not([hidden])');
    if (!more) return results(page);
    const before = await page.evaluate(() => document.querySelectorAll('#search-list > li').length);
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('#search-list > li').length > n, before);
  }
}

/** Saves the page's HTML for the Nu Html Checker under `name`. */
async function snapshot(page, name) {
  const file = path.join(snapshotDir, `${name}.html`);
  fs.writeFileSync(file, `<!DOCTYPE html>\n${await page.evaluate(() => document.documentElement.outerHTML)}`);
  snapshots.push(file);
}

async function axe(page, what) {
  const r = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const failures = r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} (${n.target.join(' ')})`));
  assert.deepEqual(failures, [], `axe-core on ${what}`);
}

async function reflows(page, what) {
  await page.setViewportSize({ width: 320, height: 640 });
  const r = await page.evaluate(inpage.layoutProblems);
  assert.ok(r.scrollWidth <= r.clientWidth, `${what} scrolls sideways at 320px:\n${r.wide.join('\n')}`);
  assert.deepEqual(r.clipped, [], `${what} cuts off text at 320px`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The first facet value page with at least three services. */
function facetValuePage() {
  for (const f of meta.facets) {
    for (const v of f.values) {
      const dir = path.join(ROOT, f.key.replace(/_/g, '-'), v.key);
      const file = path.join(dir, 'index.html');
      if (fs.existsSync(file) && /data-near-index/.test(fs.readFileSync(file, 'utf8')) &&
          (fs.readFileSync(file, 'utf8').match(/<li class="?card"?[\s>]/g) || []).length >= 3) {
        return { facet: f.key, value: v.key, path: `/${path.relative(ROOT, dir).split(path.sep).join('/')}/` };
      }
    }
  }
  return null;
}

describe('near-me search', { skip: SKIP }, () => {
  for (const postcode of POSTCODES) {
    test(`near ${postcode}: the same order and distances as dayopps search --near`, { timeout: 120_000 }, async () => {
      const expected = cli(postcode);
      const page = await ownPage();
      await page.goto(`${server.origin}/search/?near=${encodeURIComponent(postcode)}`, { waitUntil: 'load' });
      await sorted(page);
      const status = await page.textContent('#search-status');
      assert.match(status, new RegExp(`Sorted by distance from ${postcode}`));
      const first = await results(page);
      assert.equal(first.length, Math.min(20, expected.length), 'the first page');
      assert.deepEqual(await allResults(page), expected);
      await page.context().close();
    });
  }

  test('a facet value page sorts its own services by distance', { timeout: TIMEOUT }, async () => {
    const f = facetValuePage();
    assert.ok(f, 'no facet value page with a postcode field and three services');
    const expected = cli(POSTCODES[0], { [f.facet]: f.value });
    const page = await ownPage();
    await page.goto(`${server.origin}${f.path}?near=${encodeURIComponent(POSTCODES[0])}`, { waitUntil: 'load' });
    await sorted(page);
    assert.deepEqual(await results(page, '#near-list'), expected);
    await axe(page, `${f.path} sorted by distance`);
    await snapshot(page, 'facet-sorted');
    await reflows(page, `${f.path} sorted by distance`);
    await page.context().close();
  });

  const errors = [
    // The example is the council's own, as the field's hint gives it.
    ['malformed', 'E10 6Q', new RegExp(`“E10 6Q” is not a postcode: enter a full postcode, such as ${meta.near?.example}`)],
    ['unknown', 'E10 9ZZ', /E10 9ZZ is not a postcode we know: check it, or try a postcode nearby/],
  ];
  for (const [kind, postcode, message] of errors) {
    test(`a ${kind} postcode gets an error message and summary, and the results stay unsorted`, { timeout: TIMEOUT }, async () => {
      const page = await ownPage();
      await page.goto(`${server.origin}/search/?q=garden&near=${encodeURIComponent(postcode)}`, { waitUntil: 'load' });
      await page.waitForSelector('.error-summary');
      assert.match(await page.textContent('.error-summary'), message);
      assert.match(await page.textContent('#search-near-error'), message);
      assert.match(await page.title(), /^Error: /);
      assert.ok(await page.evaluate(() => document.activeElement.classList.contains('error-summary')), 'the summary has no focus');
      assert.match(await page.getAttribute('#search-near', 'aria-describedby'), /search-near-error/);
      // The error is shown at once; the unsorted results follow when the plain search ends.
      await page.waitForFunction(() => document.querySelectorAll('#search-list > li').length > 0, null, { timeout: 15_000 })
        .catch(() => {});
      assert.ok((await results(page)).length > 0, 'the results went');
      assert.ok(!/Sorted by distance/.test(await page.textContent('#search-status')), 'the results say they are sorted');
      assert.ok(await page.isHidden('#search-none'), '"No services match" shows');
      // The summary's link leads to the field.
      await page.click('.error-summary a');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-near');
      await axe(page, `the ${kind} postcode error`);
      await snapshot(page, `error-${kind}`);
      await reflows(page, `the ${kind} postcode error`);
      await page.context().close();
    });
  }

  test('a postcode field holding markup shows it as text, cut short', { timeout: TIMEOUT }, async () => {
    const page = await ownPage();
    const hostile = '<img src=x onerror="window.pwned=1">';
    await page.goto(`${server.origin}/search/?near=${encodeURIComponent(hostile)}`, { waitUntil: 'load' });
    await page.waitForSelector('.error-summary');
    assert.match(await page.textContent('.error-summary'), /“<img src=x onerror="” is not a postcode/);
    assert.equal(await page.evaluate(() => document.querySelectorAll('main img').length), 0, 'the markup was made into an element');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.context().close();
  });

  test('"Use my location" sorts from where the browser says, asking only when pressed', { timeout: TIMEOUT }, async () => {
    const shard = JSON.parse(fs.readFileSync(path.join(ROOT, 'search', 'postcodes', `${POSTCODES[0].slice(0, -2).replace(' ', '-')}.json`), 'utf8'));
    const [latitude, longitude] = shard[POSTCODES[0]];
    const page = await ownPage({ geolocation: { latitude, longitude }, permissions: [] });
    let asked = false;
    await page.exposeFunction('noteAsked', () => { asked = true; });
    await page.addInitScript(() => {
      const get = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
      navigator.geolocation.getCurrentPosition = (...a) => { window.noteAsked(); return get(...a); };
    });
    await page.goto(`${server.origin}/search/`, { waitUntil: 'load' });
    assert.equal(asked, false, 'the page asked for the location before the button was pressed');
    await page.context().grantPermissions(['geolocation'], { origin: server.origin });
    await page.click('#search-near ~ [data-near-locate]');
    await sorted(page);
    assert.equal(asked, true);
    assert.match(await page.textContent('#search-status'), /Sorted by distance from your location/);
    assert.ok(!/near=/.test(page.url()), 'the location went into the address');
    const expected = cli(POSTCODES[0]);
    assert.deepEqual(await allResults(page), expected);
    await axe(page, 'the search page sorted from the browser\'s location');
    await snapshot(page, 'search-location');
    await page.context().close();
  });

  test('"Use my location" explains a refusal', { timeout: TIMEOUT }, async () => {
    const page = await ownPage({ permissions: [] });
    await page.goto(`${server.origin}/search/`, { waitUntil: 'load' });
    await page.click('#search-near ~ [data-near-locate]');
    await page.waitForSelector('.error-summary');
    assert.match(await page.textContent('.error-summary'), /did not share your location/);
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('error-summary')), 'the summary has no focus');
    await page.context().close();
  });

  test('with the keyboard alone: a postcode, Enter, the results sorted and focus kept', { timeout: TIMEOUT }, async () => {
    const page = await ownPage({ permissions: [] });
    await page.goto(`${server.origin}/search/`, { waitUntil: 'load' });
    const tabTo = async (selector) => {
      for (let i = 0; i < 200; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
      }
      assert.fail(`Tab never reached ${selector}`);
    };
    await tabTo('#search-near');
    await page.keyboard.type(POSTCODES[0].toLowerCase().replace(' ', ''));
    await page.keyboard.press('Enter');
    await sorted(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-near', 'sorting moved focus');
    assert.match(page.url(), new RegExp(`near=${POSTCODES[0].replace(' ', '\\+')}`));
    const state = await page.evaluate(inpage.focusState);
    assert.ok(state.outlineStyle !== 'none' || state.boxShadow !== 'none', 'the postcode field shows no focus');
    // "Use my location" is the next stop, and a result link after it.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Use my location');
    await tabTo('#search-list a');
    await axe(page, 'the search page sorted by distance');
    await snapshot(page, 'search-sorted');
    await reflows(page, 'the search page sorted by distance');
    await page.context().close();
  });

  test('the Nu Html Checker finds no errors in the near-me states', { timeout: 120_000 }, async () => {
    assert.ok(snapshots.length >= 4, `only ${snapshots.length} states saved`);
    const errors = await validate(snapshots);
    assert.deepEqual(errors.map((e) => `${path.basename(e.file)}:${e.line}:${e.column}: ${e.message}`), []);
  });

  test('no page asked for anything but the local site', () => {
    assert.deepEqual([...new Set(browser.blocked.map((b) => b.url))], []);
  });
});
