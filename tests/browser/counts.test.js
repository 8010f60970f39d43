'use strict';
// Live counts on the search page: a filter group's facet file is fetched only when the group
// is opened (or a value of it ticked), and then every count beside a box is exact: ticking
// the box shows that many services.
//
//   SITE_DIR=target/demo-public node --test counts.test.js

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { serve } = require('./lib/server');
const { Browser } = require('./lib/browser');

const SITE_DIR = process.env.SITE_DIR || process.argv[2];
if (!SITE_DIR) throw new Error('Set SITE_DIR to the built site, e.g. SITE_DIR=target/demo-public');
const ROOT = path.resolve(SITE_DIR);
const SKIP = fs.existsSync(path.join(ROOT, 'search', 'index.html')) ? false : 'the site has no search page';

let server;
let browser;

before(async () => {
  if (SKIP) return;
  server = await serve(ROOT);
  browser = await new Browser(server.origin).launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

/** The number the status line gives ("7 services found for garden"), or 0 for none. */
async function total(page) {
  const text = await page.locator('#search-status').textContent();
  const m = /^(\d+) services? found/.exec(text);
  return m ? Number(m[1]) : 0;
}

test('a group\'s counts come when it opens, and each is what ticking its box finds', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await browser.page('light');
  const facetFiles = [];
  page.on('request', (r) => { if (/\/search\/facets\/\d+\.json$/.test(r.url())) facetFiles.push(r.url()); });
  await page.goto(`${server.origin}/search/?q=club`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => /found/.test(document.querySelector('#search-status').textContent));
  assert.deepEqual(facetFiles, [], 'a first search with every group closed fetches no facet file');

  const group = page.locator('details.filter').first();
  await group.locator('summary').click();
  const boxes = group.locator('input[type="checkbox"]');
  await page.waitForFunction((g) => {
    const counts = [...document.querySelectorAll('details.filter')][g].querySelectorAll('[data-count]');
    return [...counts].every((c) => /^\(\d+\)$/.test(c.textContent));
  }, 0);
  assert.equal(facetFiles.length, 1, `opening one group fetches its file alone: ${facetFiles}`);

  const n = await boxes.count();
  assert.ok(n > 0, 'the group has boxes');
  for (let i = 0; i < n; i++) {
    const box = boxes.nth(i);
    const label = box.locator('xpath=following-sibling::label');
    const shown = Number((await label.locator('[data-count]').textContent()).replace(/[()]/g, ''));
    const name = await box.getAttribute('data-label');
    const says = (has) => page.waitForFunction(([label, want]) =>
      document.querySelector('#search-status').textContent.includes(label) === want, [name, has]);
    await box.check();
    await says(true);
    assert.equal(await total(page), shown, `${name}: the count said ${shown}`);
    await box.uncheck();
    await says(false);
  }
});
