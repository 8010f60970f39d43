'use strict';
// One headless Debian Chromium for the whole run, and one context (with one
// page) per way of viewing the site, created on first use and then reused.
// Playwright never downloads a browser here: it drives /usr/bin/chromium.

const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The ways of viewing the site the checks use.
const MODES = {
  light: { viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  dark: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
  narrow: { viewport: { width: 320, height: 640 }, colorScheme: 'light' },
  forced: {
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    forcedColors: 'active',
    reducedMotion: 'reduce',
  },
  print: { viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
};

class Browser {
  constructor(origin) {
    this.origin = origin;
    this.browser = null;
    this.pages = new Map();
    // Requests the site made to anywhere but the local server (all blocked).
    this.blocked = [];
  }

  async launch() {
    this.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    return this;
  }

  /** The page of a mode's context; every page of the run is one of these. */
  async page(mode) {
    if (this.pages.has(mode)) return this.pages.get(mode);
    const options = MODES[mode];
    if (!options) throw new Error(`unknown mode ${mode}`);
    const context = await this.browser.newContext({
      ...options,
      locale: 'en-GB',
      serviceWorkers: 'block',
      javaScriptEnabled: true,
    });
    // No network but the local server: everything else is refused.
    const prefix = `${this.origin}/`;
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(prefix)) return route.continue();
      this.blocked.push({ url, from: route.request().frame()?.url?.() ?? '' });
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.setDefaultNavigationTimeout(30_000);
    this.pages.set(mode, page);
    return page;
  }

  /** Opens a site path in a mode's page; returns the page and the response's status. */
  async open(mode, urlPath) {
    const page = await this.page(mode);
    // networkidle: the search page fetches its index and renders results after load.
    const response = await page.goto(this.origin + urlPath, { waitUntil: 'networkidle' });
    return { page, status: response ? response.status() : 0 };
  }

  async close() {
    if (this.browser) await this.browser.close();
  }
}

module.exports = { Browser, MODES };
