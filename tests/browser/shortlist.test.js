'use strict';
// The shortlist (issue #26): "Add to shortlist" on results and service pages with the
// keyboard alone, the shortlist page, removing, the share link in a fresh browser, the
// e-mail link, print, JavaScript off, a browser that refuses localStorage, a hostile share
// link, and axe, Nu and 320 px reflow on the filled shortlist page. Also the "Report a
// problem" link and the per-facet feed link on the pages that carry them.
//
//   SITE_DIR=target/demo-public node --test shortlist.test.js   (run.sh does this)
//
// Each test that needs a clean shortlist gets a browser context of its own: the list lives
// in localStorage, which a context keeps to itself.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { AxeBuilder } = require('@axe-core/playwright');

const { serve } = require('./lib/server');
const { Browser, MODES } = require('./lib/browser');
const { discover, EVERYTHING } = require('./lib/site');
const { validate } = require('./lib/vnu');
const inpage = require('./lib/inpage');

const SITE_DIR = process.env.SITE_DIR || process.argv[2];
if (!SITE_DIR) throw new Error('Set SITE_DIR to the built site, e.g. SITE_DIR=target/demo-public');
const site = discover(SITE_DIR);
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const TIMEOUT = 90_000;
const SHORTLIST = '/shortlist/';
const AZ = '/services/';
const slugOf = (p) => p.split('/').filter(Boolean).pop();
// Adding two services needs two: a new council's site has one, its example.
const serviceCount = fs.readdirSync(path.join(site.root, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(site.root, 'services', d.name, 'index.html'))).length;
const TWO = serviceCount >= 2 ? false : `the site has ${serviceCount} service; these need two`;

let server;
let browser;
const contexts = [];

before(async () => {
  server = await serve(site.root);
  browser = await new Browser(server.origin).launch();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  if (browser) await browser.close();
  if (server) await server.close();
});

/** A page in a new context of its own (no shortlist yet); nothing but the local site loads. */
async function fresh({ mode = 'light', javaScript = true, init = null, noScripts = false } = {}) {
  const context = await browser.browser.newContext({
    ...MODES[mode],
    locale: 'en-GB',
    serviceWorkers: 'block',
    javaScriptEnabled: javaScript,
  });
  contexts.push(context);
  const prefix = `${server.origin}/`;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    // noScripts: the page as it is when the site's scripts fail to load (axe needs a
    // script of its own, so it cannot run with JavaScript off).
    if (noScripts && url.startsWith(prefix) && /\.js(\?|$)/.test(url)) return route.abort('blockedbyclient');
    if (url.startsWith(prefix)) return route.continue();
    browser.blocked.push({ url, from: route.request().frame()?.url?.() ?? '' });
    return route.abort('blockedbyclient');
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('dialog', (d) => { page.dialogs = (page.dialogs || 0) + 1; d.dismiss().catch(() => {}); });
  return page;
}

async function go(page, urlPath, status = 200) {
  const response = await page.goto(server.origin + urlPath, { waitUntil: 'networkidle' });
  assert.equal(response.status(), status, `${urlPath} answered ${response.status()}`);
}

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page, selector, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

const status = (page) => page.evaluate(() => document.getElementById('shortlist-status')?.textContent || '');
const waitStatus = (page, re) =>
  page.waitForFunction((src) => new RegExp(src).test(document.getElementById('shortlist-status')?.textContent || ''), re.source);
const focusedText = (page) => page.evaluate(() => document.activeElement?.textContent.replace(/\s+/g, ' ').trim());
const saved = (page) => page.evaluate(() => {
  const k = Object.keys(localStorage).find((x) => x.startsWith('dayopps-shortlist:'));
  return k ? JSON.parse(localStorage.getItem(k)) : [];
});

/** The services the shortlist page shows, once it has loaded them. */
async function shown(page) {
  await page.waitForFunction(() => !/Loading/.test(document.querySelector('[data-shortlist-total]')?.textContent || 'Loading'));
  return page.evaluate(() => [...document.querySelectorAll('[data-shortlist-list] > li')].map((li) => {
    const rows = {};
    li.querySelectorAll('.summary-list__row').forEach((r) => {
      rows[r.querySelector('dt').textContent.trim()] = r.querySelector('dd').innerText.replace(/\s+/g, ' ').trim();
    });
    const link = li.querySelector('h2 a');
    return { name: link.textContent.trim(), href: link.getAttribute('href'), rows, remove: !!li.querySelector('button') };
  }));
}

/** Adds the first card of the A to Z and the service with every field, by keyboard alone. */
async function addTwo(page) {
  await go(page, AZ);
  await tabTo(page, 'li.card button[data-shortlist-toggle]');
  const first = await page.evaluate(() => {
    const b = document.activeElement;
    return { slug: b.getAttribute('data-shortlist-toggle'), name: b.getAttribute('data-title') };
  });
  assert.match(await focusedText(page), /^Add to shortlist/);
  await page.keyboard.press('Enter');
  await waitStatus(page, /^Added /);
  assert.match(await focusedText(page), /^Remove from shortlist: /, 'the button does not say it is on the shortlist');
  assert.ok(await page.evaluate(() => document.activeElement?.matches('li.card button')), 'adding moved focus');
  assert.equal(await status(page), `Added ${first.name} to your shortlist. It has 1 service.`);

  await go(page, EVERYTHING);
  await tabTo(page, '.shortlist-slot button');
  assert.match(await focusedText(page), /^Add to shortlist/);
  await page.keyboard.press('Space');
  await waitStatus(page, /It has 2 services/);
  assert.match(await focusedText(page), /^Remove from shortlist/);
  const second = await page.evaluate(() => document.querySelector('main h1').textContent.trim());
  return [first, { slug: slugOf(EVERYTHING), name: second }];
}

describe('the shortlist with JavaScript', () => {
  test('add from a result and from a service page with the keyboard; the shortlist page lists them', { timeout: TIMEOUT, skip: TWO }, async () => {
    const page = await fresh();
    const added = await addTwo(page);
    assert.deepEqual(await saved(page), added.map((a) => a.slug));
    assert.match(await page.evaluate(() => [...document.querySelectorAll('header nav a')].map((a) => a.textContent).join('|')), /Your shortlist \(2\)/);

    await go(page, SHORTLIST);
    const items = await shown(page);
    assert.deepEqual(items.map((i) => i.name), added.map((a) => a.name));
    assert.deepEqual(items.map((i) => i.href), added.map((a) => `/services/${a.slug}/`));
    const full = items[1].rows;
    for (const key of ['Address', 'Phone', 'Days and times', 'Cost']) {
      assert.ok(full[key] && full[key] !== 'Not given', `the shortlist shows no ${key} for ${EVERYTHING}: ${JSON.stringify(full)}`);
    }
    assert.match(full['Days and times'], /Monday: \d{1,2}(:\d\d)?[ap]m to /);
    assert.match(full.Cost, /£\d+\.\d\d/);
    assert.match(full.Cost, /Ways to pay: [^,]+, /);
    assert.match(await page.evaluate(() => document.querySelector('[data-shortlist-total]').textContent), /^2 services on your shortlist$/);
  });

  test('remove with the keyboard: focus moves on, the change is announced, the list is saved', { timeout: TIMEOUT, skip: TWO }, async () => {
    const page = await fresh();
    const added = await addTwo(page);
    await go(page, SHORTLIST);
    await shown(page);
    await tabTo(page, '.shortlist__remove');
    assert.match(await page.evaluate(() => document.activeElement.textContent), new RegExp(`^Remove ${added[0].name.replace(/[()]/g, '.')} from your shortlist$`));
    await page.keyboard.press('Enter');
    await waitStatus(page, /^Removed /);
    assert.equal(await status(page), `Removed ${added[0].name} from your shortlist. It has 1 service.`);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), `/services/${added[1].slug}/`, 'focus did not move to the next service');
    assert.deepEqual(await saved(page), [added[1].slug]);
    assert.deepEqual((await shown(page)).map((i) => i.name), [added[1].name]);
    // The last one: focus goes to the heading, and the page says the list is empty.
    await tabTo(page, '.shortlist__remove');
    await page.keyboard.press('Enter');
    await waitStatus(page, /It has 0 services/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'shortlist-title');
    assert.ok(await page.isVisible('[data-shortlist-empty]'), 'the empty shortlist says nothing');
    assert.ok(!(await page.isVisible('[data-shortlist-actions]')), 'print, e-mail and share are offered for an empty list');
  });

  test('the share link opens the same shortlist in a fresh browser, which can keep it', { timeout: TIMEOUT, skip: TWO }, async () => {
    const page = await fresh();
    const added = await addTwo(page);
    await go(page, SHORTLIST);
    await shown(page);
    const link = await page.inputValue('#shortlist-share');
    const url = new URL(link);
    assert.equal(url.origin, server.origin);
    assert.equal(url.pathname, SHORTLIST);
    assert.equal(url.searchParams.get('s'), added.map((a) => a.slug).join(','));

    const other = await fresh();
    await go(other, url.pathname + url.search);
    const items = await shown(other);
    assert.deepEqual(items.map((i) => i.name), added.map((a) => a.name));
    assert.ok(items.every((i) => !i.remove), 'a shared list offers to remove services');
    assert.deepEqual(await saved(other), [], 'opening a shared list changed this browser\'s own');
    await tabTo(other, '[data-shortlist-keep]');
    await other.keyboard.press('Enter');
    await waitStatus(other, /^Saved/);
    assert.deepEqual(await saved(other), added.map((a) => a.slug));
    assert.equal(new URL(other.url()).search, '', 'the page still shows the shared address');
    assert.ok((await shown(other)).every((i) => i.remove), 'the kept list cannot be changed');
  });

  test('the e-mail link names every service with its page and the share link', { timeout: TIMEOUT, skip: TWO }, async () => {
    const page = await fresh();
    const added = await addTwo(page);
    await go(page, SHORTLIST);
    await shown(page);
    const href = await page.getAttribute('[data-shortlist-mail]', 'href');
    assert.match(href, /^mailto:\?subject=[^&]+&body=/);
    const params = new URLSearchParams(href.slice('mailto:?'.length));
    assert.equal(params.get('subject'), 'My shortlist of day services');
    const body = params.get('body');
    assert.ok(body.includes('\r\n'), 'the body does not use CRLF line breaks');
    added.forEach((a, i) => {
      assert.ok(body.includes(`${i + 1}. ${a.name}`), `the body does not name ${a.name}:\n${body}`);
      assert.ok(body.includes(`${server.origin}/services/${a.slug}/`), `the body has no link to ${a.slug}`);
    });
    assert.ok(body.includes(`${server.origin}${SHORTLIST}?s=${added.map((a) => a.slug).join(',')}`), 'the body has no share link');
  });

  test('printed, each service shows its name, address, phone, days and times and cost, and no buttons', { timeout: TIMEOUT, skip: TWO }, async () => {
    const page = await fresh({ mode: 'print' });
    await addTwo(page);
    await go(page, SHORTLIST);
    await shown(page);
    await page.emulateMedia({ media: 'print' });
    const r = await page.evaluate(() => {
      const visible = (el) => !!el && el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && el.innerText.trim() !== '';
      const cards = [...document.querySelectorAll('[data-shortlist-list] > li')].map((li) => {
        const row = (k) => [...li.querySelectorAll('dt')].find((d) => d.textContent.trim() === k);
        return {
          name: visible(li.querySelector('h2')),
          facts: ['Address', 'Phone', 'Days and times', 'Cost'].filter((k) => !visible(row(k)) || !visible(row(k).nextElementSibling)),
        };
      });
      const shownControls = [...document.querySelectorAll('main button, main input, [data-shortlist-mail]')]
        .filter((el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
        .map((el) => el.outerHTML.slice(0, 80));
      const gone = (sel) => [...document.querySelectorAll(sel)].every((el) => !el.checkVisibility());
      return { cards, shownControls, nav: gone('header nav'), footer: gone('footer'), crumbs: gone('nav[aria-label="Breadcrumb"]') };
    });
    assert.equal(r.cards.length, 2);
    r.cards.forEach((c, i) => {
      assert.ok(c.name, `service ${i + 1}'s name is not printed`);
      assert.deepEqual(c.facts, [], `service ${i + 1} prints without ${c.facts.join(', ')}`);
    });
    assert.deepEqual(r.shownControls, [], 'buttons or the share box are printed');
    assert.ok(r.nav && r.footer && r.crumbs, 'navigation is printed');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000, 'printing made no PDF');
  });

  test('a hostile share link: only slugs are used, nothing runs, a missing service says so', { timeout: TIMEOUT }, async () => {
    const page = await fresh();
    const evil = ['..%2F..%2Fetc', '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 'javascript:alert(1)', slugOf(EVERYTHING),
      'no-such-service', slugOf(EVERYTHING), 'UPPER'].join(',');
    await go(page, `${SHORTLIST}?s=${evil}`);
    const items = await shown(page);
    assert.deepEqual(items.map((i) => i.href), [EVERYTHING, '/services/no-such-service/']);
    assert.match(await page.evaluate(() => document.querySelector('[data-shortlist-list] > li:last-child').textContent), /could not be found/);
    assert.equal(await page.evaluate(() => document.querySelectorAll('main img').length), 0);
    assert.equal(page.dialogs || 0, 0, 'a script from the link ran');
  });

  test('a browser that refuses localStorage gets no buttons, and can still open a shared list', { timeout: TIMEOUT }, async () => {
    const refuse = () => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
    };
    const page = await fresh({ init: refuse });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await go(page, EVERYTHING);
    assert.equal(await page.locator('[data-shortlist-toggle]').count(), 0);
    await go(page, AZ);
    assert.equal(await page.locator('[data-shortlist-toggle]').count(), 0);
    await go(page, `${SHORTLIST}?s=${slugOf(EVERYTHING)}`);
    assert.ok(await page.isVisible('[data-shortlist-unsaved]'), 'the page does not say the list cannot be kept');
    assert.deepEqual((await shown(page)).map((i) => i.href), [EVERYTHING]);
    assert.ok(!(await page.isVisible('[data-shortlist-keep]')), 'offers to keep a list it cannot keep');
    assert.deepEqual(errors, []);
  });

  test('search results get the button too, as search.js renders them', { timeout: TIMEOUT, skip: fs.existsSync(path.join(site.root, 'search/index.html')) ? false : 'no search page' }, async () => {
    const page = await fresh();
    await go(page, '/search/?q=garden');
    await page.waitForFunction(() => document.querySelectorAll('#search-list li.card').length > 0);
    await page.waitForFunction(() => [...document.querySelectorAll('#search-list li.card')].every((li) => li.querySelector('[data-shortlist-toggle]')));
    await tabTo(page, '#search-list [data-shortlist-toggle]');
    await page.keyboard.press('Enter');
    await waitStatus(page, /^Added /);
    assert.equal((await saved(page)).length, 1);
  });
});

describe('the shortlist page checked', () => {
  async function filled(mode) {
    const page = await fresh({ mode });
    await page.goto(server.origin + AZ, { waitUntil: 'networkidle' });
    await page.evaluate((slugs) => {
      const k = 'dayopps-shortlist:' + document.querySelector('script[data-services-url]').getAttribute('data-services-url');
      localStorage.setItem(k, JSON.stringify(slugs));
    }, [slugOf(EVERYTHING), 'no-such-service']);
    await go(page, SHORTLIST);
    await shown(page);
    return page;
  }

  for (const mode of ['light', 'dark']) {
    test(`axe-core finds no violations on the filled shortlist page: ${mode}`, { timeout: TIMEOUT }, async () => {
      const page = await filled(mode);
      const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      const failures = results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} at ${n.target.join(' ')}`));
      assert.deepEqual(failures, []);
    });
  }

  test('axe-core finds no violations on a service page and the A to Z with their buttons', { timeout: TIMEOUT }, async () => {
    const page = await fresh();
    for (const p of [EVERYTHING, AZ]) {
      await go(page, p);
      const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      const failures = results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} at ${n.target.join(' ')}`));
      assert.deepEqual(failures, [], p);
    }
  });

  test('320 CSS px wide: no sideways scrolling, nothing cut off', { timeout: TIMEOUT }, async () => {
    const page = await filled('narrow');
    const r = await page.evaluate(inpage.layoutProblems);
    assert.ok(r.scrollWidth <= r.clientWidth, `scrolls sideways at 320px: ${r.wide.join('; ')}`);
    assert.deepEqual(r.clipped, []);
  });

  test('every control is reached by Tab, with a visible focus', { timeout: TIMEOUT }, async () => {
    const page = await filled('light');
    const want = await page.evaluate(() => [...document.querySelectorAll('main a, main button, main input')]
      .filter((el) => el.checkVisibility())
      .map((el, i) => { el.setAttribute('data-stop', i); return i; }).length);
    const reached = new Set();
    for (let i = 0; i < 100 && reached.size < want; i++) {
      await page.keyboard.press('Tab');
      const s = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || !el.closest('main')) return null;
        const cs = getComputedStyle(el);
        return { key: el.getAttribute('data-stop'), visible: cs.outlineStyle !== 'none' || cs.boxShadow !== 'none' };
      });
      if (s) { reached.add(s.key); assert.ok(s.visible, `no visible focus on ${s.key}`); }
    }
    assert.equal(reached.size, want, 'Tab did not reach every control in <main>');
  });

  test('the Nu Html Checker finds no errors in the built page or the filled one', { timeout: 120_000 }, async () => {
    const page = await filled('light');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shortlist-'));
    const file = path.join(dir, 'filled.html');
    fs.writeFileSync(file, '<!DOCTYPE html>\n' + (await page.evaluate(() => document.documentElement.outerHTML)));
    const errors = await validate([path.join(site.root, 'shortlist', 'index.html'), file]);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(errors.map((e) => `${path.basename(e.file)}:${e.line}:${e.column}: ${e.message}`), []);
  });
});

describe('with JavaScript off', () => {
  test('no shortlist button anywhere, and the shortlist page says it needs JavaScript', { timeout: TIMEOUT }, async () => {
    const page = await fresh({ javaScript: false });
    for (const p of [EVERYTHING, AZ]) {
      await go(page, p);
      const html = await page.content();
      assert.ok(!/<button/.test(html.slice(html.indexOf('<main'))), `${p} has a button that needs JavaScript`);
      assert.ok(!/>[^<]*shortlist/i.test(html), `${p} shows the word shortlist`);
    }
    await go(page, SHORTLIST);
    const html = await page.content();
    assert.match(html, /<div class="inset-text" data-shortlist-off="">\s*<p>Your shortlist needs JavaScript/);
    assert.match(html, /<div data-shortlist-on="" hidden="">/);
  });

  test('the shortlist page without its script: the message shows, the controls do not, axe and reflow pass', { timeout: TIMEOUT }, async () => {
    for (const mode of ['light', 'narrow']) {
      const page = await fresh({ mode, noScripts: true });
      await go(page, SHORTLIST);
      assert.ok(await page.isVisible('[data-shortlist-off]'), 'the page does not say the shortlist needs JavaScript');
      assert.ok(!(await page.isVisible('[data-shortlist-on]')), 'controls that need JavaScript show');
      const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      assert.deepEqual(results.violations.map((v) => v.id), [], mode);
      const r = await page.evaluate(inpage.layoutProblems);
      assert.ok(r.scrollWidth <= r.clientWidth, `scrolls sideways in ${mode}`);
    }
  });
});

describe('report a problem, and feeds to follow', () => {
  test('a service page offers to report a problem, prefilled, and says when it was last checked', { timeout: TIMEOUT }, async () => {
    const page = await fresh();
    await go(page, EVERYTHING);
    const link = page.getByRole('link', { name: 'Report a problem with this entry' });
    assert.equal(await link.count(), 1);
    const href = await link.getAttribute('href');
    const name = await page.evaluate(() => document.querySelector('main h1').textContent.trim());
    if (href.startsWith('mailto:')) {
      const q = new URLSearchParams(href.slice(href.indexOf('?') + 1));
      assert.equal(q.get('subject'), `Problem with the entry for ${name}`);
      assert.ok(q.get('body').includes(`/services/${slugOf(EVERYTHING)}/`), 'the e-mail does not name the page');
    } else {
      assert.match(href, /^https:\/\/github\.com\/[^/]+\/[^/]+\/issues\/new\?title=/);
    }
    assert.match(await page.innerText('#report'), /last checked on \d{1,2} \w+ \d{4}/);
    await link.focus();
    assert.ok(await page.evaluate(() => document.activeElement?.textContent === 'Report a problem with this entry'));
  });

  test('a facet value page links its own Atom feed, visibly and in the head', { timeout: TIMEOUT }, async () => {
    const page = await fresh();
    await go(page, '/needs/dementia/');
    const head = await page.getAttribute('head link[rel="alternate"][href="/needs/dementia/feed.xml"]', 'type');
    assert.equal(head, 'application/atom+xml');
    const visible = page.locator('main a[href="/needs/dementia/feed.xml"]');
    assert.ok(await visible.isVisible(), 'no visible link to the feed');
    const response = await page.request.get(server.origin + '/needs/dementia/feed.xml');
    assert.equal(response.status(), 200);
    assert.match(await response.text(), /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  });
});

test('no page asked for anything but the local site', () => {
  assert.deepEqual(browser.blocked.map((b) => b.url), []);
});
