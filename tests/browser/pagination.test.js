'use strict';
// Pagination (issue #28): a facet value page and the A to Z past 50 services, in GOV.UK's
// pagination pattern. axe-core and the Nu Html Checker on later pages, the keyboard alone
// through "Previous", the page numbers and "Next", 320 px reflow, print, the `rel` links,
// "Page 2 of N" in the heading, near-me on a list in pages, and the A to Z's letters across
// pages.
//
//   PAGED_SITE_DIR=/tmp/paged/public node --test pagination.test.js   (run.sh does this)
//
// The demo has too few services for pages: run.sh builds a longer copy of it
// (lib/paged-site.js) and passes it in PAGED_SITE_DIR.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { AxeBuilder } = require('@axe-core/playwright');

const { serve } = require('./lib/server');
const { Browser } = require('./lib/browser');
const { validate } = require('./lib/vnu');
const inpage = require('./lib/inpage');
const { focusIndicator } = require('./lib/focus');

const ROOT = process.env.PAGED_SITE_DIR || '';
const SKIP = ROOT && fs.existsSync(path.join(ROOT, 'index.html'))
  ? false
  : 'no paged site: tests/browser/run.sh builds one when it finds the dayopps binary (PAGED_SITE_DIR)';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const TIMEOUT = 90_000;
const FACET = '/days/monday/';
const AZ = '/services/';
const fileFor = (p) => path.join(ROOT, p, 'index.html');
const has = (p) => ROOT !== '' && fs.existsSync(fileFor(p));
// The last page of a list, found from the files.
const lastPage = (first) => {
  let n = 1;
  while (has(`${first}page/${n + 1}/`)) n++;
  return n;
};
const PAGES = [`${FACET}page/2/`, `${AZ}page/2/`];

let server;
let browser;
let htmlErrors;

before(async () => {
  if (SKIP) return;
  htmlErrors = validate([FACET, AZ, ...PAGES].map(fileFor));
  htmlErrors.catch(() => {});
  server = await serve(ROOT);
  browser = await new Browser(server.origin).launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

async function open(mode, urlPath) {
  const { page, status } = await browser.open(mode, urlPath);
  assert.equal(status, 200, `${urlPath} answered ${status}`);
  return page;
}

const none = (problems, message) => {
  if (problems.length > 0) assert.fail(`${message} (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
};

describe('pagination', { skip: SKIP }, () => {
  test('the paged site has lists of several pages, and no /page/1/', () => {
    assert.ok(lastPage(FACET) >= 3, `${FACET} has ${lastPage(FACET)} pages; the test needs 3 or more`);
    assert.ok(lastPage(AZ) >= 3, `${AZ} has ${lastPage(AZ)} pages; the test needs 3 or more`);
    assert.ok(!has(`${FACET}page/1/`) && !has(`${AZ}page/1/`), 'page 1 is published at /page/1/');
  });

  for (const first of [FACET, AZ]) {
    const second = `${first}page/2/`;
    test(`"Page 2 of N" in the heading and title, rel links and the pager: ${second}`, { timeout: TIMEOUT }, async () => {
      const page = await open('light', second);
      const total = lastPage(first);
      const facts = await page.evaluate(() => {
        const attr = (css, name) => document.querySelector(css)?.getAttribute(name) ?? null;
        const nav = document.querySelector('nav.pagination');
        return {
          h1: document.querySelector('main h1')?.textContent.replace(/\s+/g, ' ').trim(),
          title: document.title,
          prev: attr('head link[rel=prev]', 'href'),
          next: attr('head link[rel=next]', 'href'),
          canonical: attr('link[rel=canonical]', 'href'),
          label: nav?.getAttribute('aria-label'),
          current: [...document.querySelectorAll('nav.pagination [aria-current=page]')].map((a) => a.textContent.trim()),
          prevText: nav?.querySelector('a[rel=prev]')?.textContent,
          nextText: nav?.querySelector('a[rel=next]')?.textContent,
        };
      });
      assert.match(facts.h1, new RegExp(`Page 2 of ${total}$`));
      assert.match(facts.title, new RegExp(`\\(page 2 of ${total}\\)`));
      assert.equal(facts.prev, first);
      assert.equal(facts.next, `${first}page/3/`);
      assert.ok(facts.canonical.endsWith(second), `canonical ${facts.canonical}`);
      assert.equal(facts.label, 'Pagination');
      assert.deepEqual(facts.current, ['2']);
      assert.equal(facts.prevText, 'Previous page', 'the link says "Previous" with a hidden " page"');
      assert.equal(facts.nextText, 'Next page');

      // The first page is the list's own URL: a canonical there, no "Previous", no rel=prev.
      const one = await open('light', first);
      const head = await one.evaluate(() => ({
        prev: document.querySelector('link[rel=prev]'),
        next: document.querySelector('link[rel=next]')?.getAttribute('href'),
        canonical: document.querySelector('link[rel=canonical]')?.getAttribute('href'),
        h1: document.querySelector('main h1')?.textContent.replace(/\s+/g, ' ').trim(),
      }));
      assert.equal(head.prev, null);
      assert.equal(head.next, `${first}page/2/`);
      assert.ok(head.canonical.endsWith(first) && !head.canonical.includes('/page/'), head.canonical);
      assert.match(head.h1, new RegExp(`Page 1 of ${total}$`));
    });
  }

  describe('axe-core finds no violations', () => {
    for (const mode of ['light', 'dark']) {
      for (const p of PAGES) {
        test(`${mode}: ${p}`, { timeout: TIMEOUT }, async () => {
          const page = await open(mode, p);
          const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
          none(
            results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} (${n.target.join(' ')})`)),
            `axe-core violations on ${p} in ${mode} mode`,
          );
        });
      }
    }
  });

  test('the Nu Html Checker finds no errors on first and later pages', { timeout: 120_000 }, async () => {
    const errors = await htmlErrors;
    none(errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`), 'HTML errors');
  });

  for (const p of PAGES) {
    test(`Tab reaches Previous, the page numbers and Next in order, focus visible: ${p}`, { timeout: TIMEOUT }, async () => {
      const page = await open('light', p);
      const focusables = await page.evaluate(inpage.markFocusables);
      const pager = await page.evaluate(() =>
        [...document.querySelectorAll('nav.pagination a')].map((a) => ({
          index: Number(a.getAttribute('data-tab-check')),
          text: a.textContent.trim(),
        })));
      assert.ok(pager.length >= 4, `the pager has ${pager.length} links`);
      const order = [];
      const unseen = [];
      for (let i = 0; i < focusables.length + 5 && order.length < pager.length; i++) {
        await page.keyboard.press('Tab');
        const state = await page.evaluate(inpage.focusState);
        if (!state) break;
        const link = pager.find((l) => l.index === state.index);
        if (!link) continue;
        order.push(link.text);
        if (!focusIndicator(state, focusables[state.index])) unseen.push(link.text);
        const { rect, viewport } = state;
        assert.ok(rect.top >= 0 && rect.bottom <= viewport.height, `${link.text} is focused off screen`);
      }
      assert.deepEqual(order, pager.map((l) => l.text), 'Tab reaches the pager in its order');
      assert.equal(order[0], 'Previous page');
      assert.equal(order[order.length - 1], 'Next page');
      none(unseen, 'focused with no visible focus indicator');

      // Enter on "Next" opens the next page.
      await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/page/3/')), page.keyboard.press('Enter')]);
    });
  }

  for (const p of PAGES) {
    test(`320 CSS px wide, no sideways scrolling: ${p}`, { timeout: TIMEOUT }, async () => {
      const page = await open('narrow', p);
      const r = await page.evaluate(inpage.layoutProblems);
      assert.ok(r.scrollWidth <= r.clientWidth, `${p} scrolls sideways at 320px: ${r.scrollWidth}px in ${r.clientWidth}px:\n${r.wide.join('\n')}`);
      none(r.clipped, `${p} cuts off text at 320px`);
      // Each link of the pager is a target of at least 24 by 24 px (WCAG 2.2, 2.5.8).
      const small = await page.evaluate(() => [...document.querySelectorAll('nav.pagination a')]
        .map((a) => ({ text: a.textContent.trim(), r: a.getBoundingClientRect() }))
        .filter((a) => a.r.width < 24 || a.r.height < 24)
        .map((a) => `${a.text}: ${a.r.width}x${a.r.height}`));
      none(small, 'pager links smaller than 24 by 24 px');
    });
  }

  for (const p of PAGES) {
    test(`printed, the page says which page it is and leaves out the pager: ${p}`, { timeout: TIMEOUT }, async () => {
      const page = await open('print', p);
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => {
        const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        return {
          h1: document.querySelector('main h1')?.innerText,
          pager: shown(document.querySelector('nav.pagination')),
          cards: [...document.querySelectorAll('main li.card')].filter(shown).length,
        };
      });
      await page.emulateMedia({ media: 'screen' });
      assert.match(printed.h1, /Page 2 of \d+/);
      assert.equal(printed.pager, false, 'the pager is printed');
      assert.ok(printed.cards > 0 && printed.cards <= 50, `${printed.cards} cards printed`);
    });
  }

  test('near a postcode, a list in pages is sorted whole by the search page, with the keyboard', { timeout: TIMEOUT }, async () => {
    const page = await open('light', `${FACET}page/2/`);
    const total = await page.evaluate(() => Number(document.querySelector('main .total').textContent.match(/\d+/)[0]));
    const form = await page.evaluate(() => {
      const f = document.querySelector('form.near-form');
      return f && { action: f.getAttribute('action'), hidden: [...f.querySelectorAll('input[type=hidden]')].map((i) => `${i.name}=${i.value}`) };
    });
    assert.ok(form, 'the paged site has a postcode table, so the page has a near-me form');
    assert.equal(form.action, '/search/');
    assert.deepEqual(form.hidden, ['days=monday']);
    for (let i = 0; i < 100; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'near')) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'near', 'Tab never reached the postcode field');
    await page.keyboard.type('E10 6QX');
    await Promise.all([page.waitForURL((u) => u.pathname === '/search/'), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('days'), 'monday');
    assert.equal(url.searchParams.get('near'), 'E10 6QX');
    await page.waitForFunction(() => /Sorted by distance/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 20_000 });
    const status = await page.evaluate(() => document.getElementById('search-status').textContent);
    assert.ok(status.startsWith(`${total} services`), `the search page sorts all ${total} services of the value: ${status}`);
  });

  test('the A to Z letters lead to the page where each letter starts, on every page', { timeout: TIMEOUT }, async () => {
    const page = await open('light', `${AZ}page/2/`);
    const links = await page.evaluate(() => [...document.querySelectorAll('nav#letters a')]
      .map((a) => ({ letter: a.textContent.trim().slice(0, 1), href: a.getAttribute('href') })));
    assert.ok(links.some((l) => l.href.startsWith(`${AZ}page/3/#`)), 'no letter starts on page 3');
    for (const { letter, href } of links) {
      const [where, id] = href.split('#');
      const target = await open('light', where);
      const heading = await target.evaluate((x) => document.getElementById(x)?.textContent.trim() ?? null, id);
      assert.ok(heading && heading.startsWith(letter), `${letter} leads to ${href}, where #${id} is ${heading}`);
    }
  });
});
