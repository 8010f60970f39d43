'use strict';
// The browser suite: accessibility (axe-core), reflow, keyboard, display
// modes, print and HTML validity of a built dayopps site.
//
//   SITE_DIR=target/demo-public node --test suite.test.js   (run.sh does this)
//
// One file, so one Node process, one static server and one Chromium for the
// whole run; each way of viewing the site has one context that every check
// reuses (lib/browser.js).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { AxeBuilder } = require('@axe-core/playwright');

const { serve } = require('./lib/server');
const { Browser } = require('./lib/browser');
const { discover, EVERYTHING } = require('./lib/site');
const { validate } = require('./lib/vnu');
const inpage = require('./lib/inpage');
const { focusIndicator } = require('./lib/focus');

const SITE_DIR = process.env.SITE_DIR || process.argv[2];
if (!SITE_DIR) throw new Error('Set SITE_DIR to the built site, e.g. SITE_DIR=target/demo-public');
const site = discover(SITE_DIR);
const pages = site.pages;
const pageOf = (kind) => pages.find((p) => p.kind === kind);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const TIMEOUT = 60_000;

let server;
let browser;
let htmlErrors; // a promise: vnu.jar runs while the browser checks do

before(async () => {
  // Start the Nu Html Checker first: Java takes a while to start, and it
  // checks files on disk, so it can run while the browser works.
  htmlErrors = validate([...new Set(pages.map((p) => p.file))]);
  htmlErrors.catch(() => {}); // reported by its own test
  server = await serve(site.root);
  browser = await new Browser(server.origin).launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

/** Opens a page in a mode and checks it is the page we meant (200, or 404 for the missing URL). */
async function open(mode, p) {
  const { page, status } = await browser.open(mode, p.path);
  assert.equal(status, p.kind === 'not-found' ? 404 : 200, `${p.path} answered ${status}`);
  return page;
}

const list = (items) => items.map((s) => `  - ${s}`).join('\n');
const REPO = path.resolve(__dirname, '..', '..');
const shortPath = (file) => (file.startsWith(REPO + path.sep) ? path.relative(REPO, file) : file);

/** Fails with `message` and a bulleted list when `problems` is not empty. */
function none(problems, message) {
  if (problems.length > 0) assert.fail(`${message} (${problems.length}):\n${list(problems)}`);
}

/** Where two texts first differ, with a little of each around it. */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `at character ${i}:\n    normal: …${a.slice(from, i + 80)}…\n    now:    …${b.slice(from, i + 80)}…`;
}

test('the site has every page type to check', () => {
  for (const p of pages) console.log(`# ${p.name}: ${p.path}`);
  none(site.problems, `page types not found in ${site.root}`);
});

// Every value of the demo's vocabularies has services; a site with an empty
// one gets its page checked like the others.
test('a facet value page with no services is among the pages checked', { skip: site.emptyFacetValue ? false : 'the site has none' }, () => {});

describe('axe-core finds no violations (WCAG 2.2 AA and best practice)', () => {
  for (const mode of ['light', 'dark']) {
    for (const p of pages) {
      test(`${mode}: ${p.name} ${p.path}`, { timeout: TIMEOUT }, async () => {
        const page = await open(mode, p);
        const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        const failures = [];
        for (const v of results.violations) {
          for (const node of v.nodes) {
            failures.push(
              `${v.id} (${v.impact}) on ${p.path} [${mode}]: ${v.help}\n` +
                `      element: ${node.target.join(' ')}\n` +
                `      ${(node.failureSummary || '').replace(/\n/g, '\n      ')}`,
            );
          }
        }
        none(failures, `axe-core violations on ${p.path} in ${mode} mode`);
      });
    }
  }
});

describe('reflow: no sideways scrolling, nothing cut off', () => {
  for (const p of pages) {
    test(`320 CSS px wide: ${p.name} ${p.path}`, { timeout: TIMEOUT }, async () => {
      const page = await open('narrow', p);
      const r = await page.evaluate(inpage.layoutProblems);
      assert.ok(
        r.scrollWidth <= r.clientWidth,
        `${p.path} scrolls sideways at 320px: ${r.scrollWidth}px of content in ${r.clientWidth}px.\n` +
          `Too wide:\n${list(r.wide)}`,
      );
      none(r.clipped, `${p.path} cuts off text at 320px`);
    });
  }
  for (const p of pages) {
    test(`text at 200%: ${p.name} ${p.path}`, { timeout: TIMEOUT }, async () => {
      const page = await open('light', p);
      // The reader's text size: the theme sizes everything in rem.
      await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
      const r = await page.evaluate(inpage.layoutProblems);
      assert.ok(
        r.scrollWidth <= r.clientWidth && r.bodyScrollWidth <= r.bodyClientWidth,
        `${p.path} scrolls sideways with text at 200%: ${r.scrollWidth}px of content in ${r.clientWidth}px.\n` +
          `Too wide:\n${list(r.wide)}`,
      );
      none(r.clipped, `${p.path} cuts off text at 200%`);
    });
  }
});

describe('keyboard', () => {
  // The search page with results: its box, every filter group, every result link.
  const keyPages = [
    pageOf('home'),
    pages.find((p) => p.path === EVERYTHING),
    pages.find((p) => p.path === '/search/?q=garden'),
  ].filter(Boolean);

  for (const p of keyPages) {
    test(`the skip link comes first, shows when focused and moves focus to main: ${p.path}`, { timeout: TIMEOUT }, async () => {
      const page = await open('light', p);
      const focusables = await page.evaluate(inpage.markFocusables);
      await page.keyboard.press('Tab');
      const first = await page.evaluate(inpage.focusState);
      assert.ok(first, 'the first Tab focused nothing');
      assert.ok(
        first.tag === 'a' && /\bskip-link\b/.test(first.className),
        `the first Tab focused ${first.tag}#${first.id}.${first.className}, not the skip link`,
      );
      const { rect, viewport } = first;
      assert.ok(rect.width > 1 && rect.height > 1, `the focused skip link has no size: ${JSON.stringify(rect)}`);
      assert.ok(
        rect.left >= 0 && rect.top >= 0 && rect.right <= viewport.width && rect.bottom <= viewport.height,
        `the focused skip link is off screen: ${JSON.stringify(rect)}`,
      );
      assert.ok(
        (first.clip === 'auto' || first.clip === '') && first.clipPath === 'none',
        `the focused skip link is clipped (clip ${first.clip}, clip-path ${first.clipPath})`,
      );
      const unfocused = focusables[first.index] || { outline: '', boxShadow: 'none', background: '' };
      assert.ok(focusIndicator(first, unfocused), 'the focused skip link has no visible focus indicator');

      await page.keyboard.press('Enter');
      await page
        .waitForFunction(() => document.activeElement && document.activeElement.id === 'main', null, { timeout: 5_000 })
        .catch(() => {});
      const after = await page.evaluate(() => ({
        tag: document.activeElement?.tagName.toLowerCase(),
        id: document.activeElement?.id,
      }));
      assert.ok(
        after.tag === 'main' && after.id === 'main',
        `Enter on the skip link moved focus to ${after.tag}#${after.id}, not <main id="main">`,
      );
    });
  }

  for (const p of keyPages) {
    const what = p.kind === 'home' ? 'link, the search input and button' : 'link';
    test(`Tab reaches every ${what}, each with a visible focus indicator: ${p.path}`, { timeout: 120_000 }, async () => {
      const page = await open('light', p);
      // Filter groups start closed; open them so that every checkbox is a stop to check.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      const focusables = await page.evaluate(inpage.markFocusables);
      if (p.kind === 'home') {
        assert.ok(focusables.some((f) => f.tag === 'input' && f.type === 'search'), 'the home page has no search input');
        assert.ok(focusables.some((f) => f.tag === 'button'), 'the home page has no search button');
      }

      const reached = new Set();
      const noIndicator = [];
      const offScreen = [];
      const stray = [];
      for (let i = 0; i < focusables.length + 10; i++) {
        await page.keyboard.press('Tab');
        const state = await page.evaluate(inpage.focusState);
        if (!state) break; // focus left the page: every stop has been visited
        if (state.index >= 0 && reached.has(state.index)) break; // wrapped round
        const item = focusables[state.index];
        const name = item ? item.description : `${state.tag}#${state.id}.${state.className}`;
        if (state.index < 0) stray.push(name);
        else reached.add(state.index);
        if (!focusIndicator(state, item || { outline: '', boxShadow: 'none', background: '' })) {
          noIndicator.push(
            `${name}: outline ${state.outlineStyle} ${state.outlineWidth}px ${state.outlineColor}, ` +
              `box-shadow ${state.boxShadow}, background ${state.background}`,
          );
        }
        const { rect, viewport } = state;
        if (rect.width === 0 || rect.height === 0 || rect.bottom <= 0 || rect.top >= viewport.height ||
            rect.right <= 0 || rect.left >= viewport.width) {
          offScreen.push(`${name}: ${JSON.stringify(rect)}`);
        }
      }
      none(focusables.filter((f) => !reached.has(f.index)).map((f) => f.description), 'Tab never reached');
      none(noIndicator, 'focused with no visible focus indicator');
      none(offScreen, 'focused but not on screen');
      none(stray, 'Tab stopped on elements that are neither links nor controls');
    });
  }
});

describe('search with the keyboard alone', () => {
  const p = pages.find((x) => x.kind === 'search' && x.path === '/search/');

  /** Presses Tab until `selector` has focus; fails after `max` presses. */
  async function tabTo(page, selector, max = 200) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    }
    assert.fail(`Tab never reached ${selector}`);
  }

  const focused = (page) => page.evaluate(inpage.focusState);

  test('type, filter and open a result without a mouse, focus always visible', { timeout: 120_000, skip: p ? false : 'the site has no search page' }, async () => {
    const page = await open('light', p);
    await tabTo(page, 'input[name="q"]');
    await page.keyboard.type('garden');
    await page.waitForFunction(() => document.querySelectorAll('#search-list li').length > 0, null, { timeout: 10_000 });
    await page.waitForFunction(() => /found/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 10_000 });
    assert.ok(await page.evaluate(() => document.activeElement?.name === 'q'), 'typing moved focus away from the search box');
    const before = await page.evaluate(() => document.querySelectorAll('#search-list li').length);

    // A filter: open its group with Enter on the summary, then tick a box with Space.
    await tabTo(page, 'summary.filter__summary');
    assert.ok(focusIndicator(await focused(page), { outline: '', boxShadow: 'none', background: '' }), 'the filter group has no visible focus');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const box = await page.evaluate(() => ({ type: document.activeElement?.type, name: document.activeElement?.name, value: document.activeElement?.value }));
    assert.equal(box.type, 'checkbox', 'Tab after opening a filter group does not reach its first checkbox');
    assert.ok(focusIndicator(await focused(page), { outline: '', boxShadow: 'none', background: '' }), 'the checkbox has no visible focus');
    await page.keyboard.press('Space');
    await page.waitForFunction(
      (b) => new URL(location.href).searchParams.getAll(b.name).includes(b.value),
      box,
      { timeout: 10_000 },
    );
    const after = await page.evaluate(() => document.querySelectorAll('#search-list li').length);
    assert.ok(after <= before, `ticking ${box.name}=${box.value} did not narrow the results (${before} -> ${after})`);

    // Every result is reachable, and Enter on one opens it.
    if (after > 0) {
      await tabTo(page, '#search-list a');
      assert.ok(focusIndicator(await focused(page), { outline: '', boxShadow: 'none', background: '' }), 'a result link has no visible focus');
      const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
      await Promise.all([page.waitForURL((u) => u.pathname === href, { timeout: 10_000 }), page.keyboard.press('Enter')]);
    }
  });

  // A new site (SITE_KIND=new) has one service: "Show more" needs more than a page of them.
  const skipMore = !p ? 'the site has no search page' : site.kind === 'new' ? 'a new site has too few services' : false;
  test('"Show more" adds the next results and moves focus to the first of them', { timeout: 120_000, skip: skipMore }, async () => {
    const page = await open('light', { ...p, path: '/search/?days=monday' });
    await page.waitForFunction(() => /found/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 10_000 });
    const cards = () => page.evaluate(() => document.querySelectorAll('#search-list > li').length);
    const first = await cards();
    const total = Number((await page.evaluate(() => document.getElementById('search-status').textContent)).match(/\d+/)[0]);
    assert.ok(total > 20, `the site needs more than 20 services open on Monday for this test, not ${total}`);
    assert.equal(first, 20, 'the first page does not hold 20 results');
    await tabTo(page, '#search-more');
    assert.match(await page.evaluate(() => document.activeElement.textContent), /^Show \d+ more services?$/);
    assert.ok(focusIndicator(await focused(page), { outline: '', boxShadow: 'none', background: '' }), 'the "Show more" button has no visible focus');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#search-list > li').length > n, first, { timeout: 10_000 });
    assert.equal(await cards(), Math.min(total, 40));
    const at = await page.evaluate(() => {
      const items = [...document.querySelectorAll('#search-list > li')];
      return items.findIndex((li) => li.contains(document.activeElement));
    });
    assert.equal(at, first, 'focus is not on the first of the new results');
    assert.match(await page.evaluate(() => document.getElementById('search-status').textContent), new RegExp(`^Showing ${Math.min(total, 40)} of ${total} services`));
  });
});

describe('forced colours and reduced motion keep the main content', () => {
  for (const p of pages) {
    test(`${p.name} ${p.path}`, { timeout: TIMEOUT }, async () => {
      const normal = await (await open('light', p)).evaluate(inpage.mainText);
      const forced = await (await open('forced', p)).evaluate(inpage.mainText);
      assert.ok(normal && forced, `${p.path} has no <main>`);
      assert.ok(forced.visible, `<main> of ${p.path} is not visible with forced colours`);
      if (forced.text !== normal.text) {
        assert.fail(`the text of <main> of ${p.path} changes with forced colours and reduced motion, ` +
          firstDifference(normal.text, forced.text));
      }
      none(forced.invisible, `text in <main> of ${p.path} cannot be seen with forced colours`);
    });
  }
});

describe('print', () => {
  const p = pages.find((x) => x.path === EVERYTHING);

  test(`the printed listing shows the key facts and leaves out navigation: ${EVERYTHING}`, { timeout: TIMEOUT }, async () => {
    assert.ok(p, `${EVERYTHING} is not in the site`);
    const page = await open('print', p);
    await page.emulateMedia({ media: 'print' });
    const facts = await page.evaluate(inpage.printFacts);
    const title = await page.evaluate(() => document.querySelector('main h1')?.textContent.trim());
    const problems = [];
    if (!facts.name || facts.name !== title) problems.push('the name (h1) is not shown');
    if (!facts.address) problems.push('no address is shown');
    if (!facts.phone) problems.push('the phone number is not shown');
    if (!facts.times) problems.push('the table of days and times is not shown');
    if (!facts.cost) problems.push('the cost is not shown');
    if (!facts.headerNavHidden) problems.push("the header's navigation is printed");
    if (!facts.footerHidden) problems.push('the footer is printed');
    if (!facts.breadcrumbsHidden) problems.push('the breadcrumbs are printed');
    none(problems, `printing ${EVERYTHING}`);
  });

  // The issue asks for the listing with every field; the other listing types
  // are shorter, and must fit too.
  for (const l of pages.filter((x) => x.kind === 'listing')) {
    test(`the printed listing fits on one A4 page: ${l.path}`, { timeout: TIMEOUT }, async () => {
      const page = await open('print', l);
      const pdf = await page.pdf({ format: 'A4' });
      if (process.env.PRINT_PDF_DIR) {
        const name = l.path.split('/').filter(Boolean).pop();
        require('node:fs').writeFileSync(path.join(process.env.PRINT_PDF_DIR, `${name}.pdf`), pdf);
      }
      // Each page of a PDF is an object of /Type /Page (the tree of them is /Pages).
      const count = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) || []).length;
      assert.ok(count === 1, `${l.path} prints on ${count} A4 pages`);
    });
  }
});

test('the Nu Html Checker finds no errors in any page type', { timeout: 120_000 }, async () => {
  const errors = await htmlErrors;
  const lines = errors.map(
    (e) => `${shortPath(e.file)}:${e.line}:${e.column}: ${e.message}` +
      (e.extract ? `\n      ${e.extract.replace(/\s+/g, ' ').trim()}` : ''),
  );
  none(lines, 'HTML errors');
});

test('no page asked for anything but the local site', () => {
  const blocked = [...new Set(browser.blocked.map((b) => `${b.url} (from ${b.from})`))];
  none(blocked, 'requests to other hosts (all were blocked)');
});
