'use strict';
// Finds one page of each type in a built site, from the site itself: its
// navigation and its files. Nothing here knows how many services, facets or
// pages the demo has; it only knows the URLs the project promises
// (/services/<slug>/ for listings, /services/ for the A to Z).

const fs = require('node:fs');
const path = require('node:path');

// The demo's listing with every field and its shortest one. A site made by `dayopps init`
// has one listing, its example: SITE_KIND=new checks that instead, and does not expect the
// variety only the demo has (a listing without an address).
const NEW_SITE = process.env.SITE_KIND === 'new';
const EXAMPLE = '/services/example-day-centre/';
const EVERYTHING = NEW_SITE ? EXAMPLE : '/services/riverside-garden-project/';
const MINIMAL = NEW_SITE ? EXAMPLE : '/services/thursday-friendship-club/';
// The facets and content pages the issue names. Discovery finds whatever the
// site's navigation links to; these must be among them.
const EXPECTED_FACETS = [
  '/needs/',
  '/service-types/',
  '/activities/',
  '/areas/',
  '/days/',
  '/when/',
  '/funding/',
  '/accessibility/',
];
const EXPECTED_PAGES = ['/about/', '/accessibility-statement/', '/how-to-get-a-place/', '/providers/'];
const MISSING = '/this-page-does-not-exist/';

function read(file) {
  return fs.readFileSync(file, 'utf8');
}

/** The href of every link in a piece of HTML (quoted or not, as minified HTML has them). */
function hrefs(html) {
  const out = [];
  for (const m of html.matchAll(/<a\b[^>]*?\bhref=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

/** The first element `tag` whose aria-label is `label`, with its content. */
function landmark(html, tag, label) {
  const re = new RegExp(`<${tag}\\b[^>]*\\baria-label=(?:"${label}"|${label}(?=[\\s>]))[\\s\\S]*?</${tag}>`);
  const m = html.match(re);
  return m ? m[0] : '';
}

function section(html, id) {
  const re = new RegExp(`<section\\b[^>]*\\bid=(?:"${id}"|${id}(?=[\\s>]))[^>]*>[\\s\\S]*?</section>`);
  const m = html.match(re);
  return m ? m[0] : null;
}

function hasCards(html) {
  return /<li\b[^>]*\bclass=(?:"card(?:\s[^"]*)?"|card(?=[\s>]))/.test(html);
}

/** The built file that a site path is served from. */
function fileFor(root, urlPath) {
  return path.join(root, ...urlPath.split('/').filter(Boolean), 'index.html');
}

function discover(root) {
  root = path.resolve(root);
  const problems = [];
  const pages = [];
  const add = (kind, name, urlPath, file = fileFor(root, urlPath)) => {
    if (!fs.existsSync(file)) {
      problems.push(`${name}: ${urlPath} is not in the built site (${file})`);
      return;
    }
    pages.push({ kind, name, path: urlPath, file });
  };

  const homeFile = path.join(root, 'index.html');
  if (!fs.existsSync(homeFile)) {
    throw new Error(`${root} has no index.html: build the site first`);
  }
  const home = read(homeFile);
  const mainNav = hrefs(landmark(home, 'nav', 'Main')).filter((h) => h.startsWith('/'));
  const footerNav = hrefs(landmark(home, 'nav', 'Footer')).filter((h) => h.startsWith('/'));

  add('home', 'home', '/');

  // Listings.
  add('listing', 'listing with every field', EVERYTHING);
  if (MINIMAL !== EVERYTHING) add('listing', 'minimal listing', MINIMAL);
  const servicesDir = path.join(root, 'services');
  const slugs = fs.existsSync(servicesDir)
    ? fs
        .readdirSync(servicesDir, { withFileTypes: true })
        // A long A to Z's later pages are under /services/page/: not a listing.
        .filter((d) => d.isDirectory() && fs.existsSync(fileFor(root, `/services/${d.name}/`)))
        .map((d) => d.name)
        .sort()
    : [];
  // A listing with no locations shows only the area under "Where": no
  // heading for an address. Prefer an online service, the usual reason.
  const noLocations = slugs
    .map((slug) => ({ slug, html: read(fileFor(root, `/services/${slug}/`)) }))
    .map(({ slug, html }) => ({ slug, html, where: section(html, 'where') }))
    .filter(({ where }) => where !== null && !/<h3\b/.test(where));
  noLocations.sort((a, b) => Number(/>Online</.test(b.html)) - Number(/>Online</.test(a.html)));
  if (noLocations.length > 0) {
    add('listing', 'listing with no locations', `/services/${noLocations[0].slug}/`);
  } else if (!NEW_SITE) {
    problems.push('listing with no locations: no listing in the site lacks an address');
  }

  // Facet indexes: the footer's "Browse by" links, less the A to Z and the content pages.
  const azPath = '/services/';
  const facets = [...new Set(footerNav)].filter(
    (h) => h !== '/' && h !== azPath && !mainNav.includes(h) && fs.existsSync(fileFor(root, h)) &&
      // A facet index has value pages below it.
      fs.readdirSync(path.dirname(fileFor(root, h)), { withFileTypes: true }).some((d) => d.isDirectory()),
  );
  for (const f of EXPECTED_FACETS) {
    if (!facets.includes(f)) problems.push(`facet index ${f} is not linked from the footer's navigation`);
  }
  for (const f of facets) add('facet-index', `facet index ${f}`, f);

  // Facet value pages: one with services and, if the site has one, one with none.
  let withResults = null;
  let empty = null;
  for (const f of facets) {
    const index = read(fileFor(root, f));
    const main = (index.match(/<main\b[\s\S]*?<\/main>/) || [index])[0];
    const values = [...new Set(hrefs(main))].filter(
      (h) => h.startsWith(f) && h !== f,
    );
    for (const v of values) {
      const file = fileFor(root, v);
      if (!fs.existsSync(file)) continue;
      const cards = hasCards(read(file));
      if (cards && !withResults) withResults = v;
      if (!cards && !empty) empty = v;
    }
  }
  if (withResults) add('facet-value', 'facet value with services', withResults);
  else problems.push('facet value with services: none found');
  if (empty) add('facet-value', 'facet value with no services', empty);

  // The A to Z.
  add('az', 'A to Z', azPath);

  // The later pages of long lists, when the site has them.
  if (fs.existsSync(fileFor(root, `${azPath}page/2/`))) add('az', 'A to Z page 2', `${azPath}page/2/`);
  const paged = facets
    .flatMap((f) => fs.readdirSync(path.dirname(fileFor(root, f)), { withFileTypes: true })
      .filter((d) => d.isDirectory()).map((d) => `${f}${d.name}/`))
    .find((v) => fs.existsSync(fileFor(root, `${v}page/2/`)));
  if (paged) add('facet-value', 'facet value page 2', `${paged}page/2/`);

  // Content pages: the header's navigation, less home and the A to Z.
  const contentPages = [...new Set(mainNav)].filter((h) => h !== '/' && h !== azPath);
  for (const p of EXPECTED_PAGES) {
    if (!contentPages.includes(p)) problems.push(`content page ${p} is not linked from the header's navigation`);
  }
  for (const p of contentPages) add('page', `content page ${p}`, p);

  // The market report, when the site has one.
  if (fs.existsSync(fileFor(root, '/market/'))) add('market', 'market report', '/market/');
  // The shortlist page, empty here (shortlist.test.js checks it filled).
  if (fs.existsSync(fileFor(root, '/shortlist/'))) add('shortlist', 'shortlist page, empty', '/shortlist/');

  // The search page in each state the browser's search gives it.
  if (fs.existsSync(fileFor(root, '/search/'))) {
    add('search', 'search page, empty', '/search/');
    const file = fileFor(root, '/search/');
    pages.push({ kind: 'search', name: 'search with results', path: '/search/?q=garden', file });
    pages.push({ kind: 'search', name: 'search with no results', path: '/search/?q=zzqxv', file });
    pages.push({ kind: 'search', name: 'search with filters', path: '/search/?q=&needs=dementia&days=saturday', file });
    pages.push({ kind: 'search', name: 'search with more results than one page', path: '/search/?days=monday', file });
  } else {
    problems.push('search page: /search/ is not in the built site');
  }

  // A URL that does not exist: the server answers with 404.html.
  add('not-found', 'missing page (404)', MISSING, path.join(root, '404.html'));

  return { root, pages, problems, emptyFacetValue: empty, kind: NEW_SITE ? 'new' : 'demo' };
}

module.exports = { discover, EVERYTHING, MINIMAL };
