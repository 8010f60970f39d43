'use strict';
// Functions run inside the page with page.evaluate(). Each is self-contained:
// Playwright sends its source to the browser.

/** Sideways overflow and text cut off by `overflow: hidden` or `clip`. */
function layoutProblems() {
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    const cls = [...el.classList].slice(0, 2);
    if (cls.length) s += `.${cls.join('.')}`;
    const text = (el.innerText || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const doc = document.documentElement;
  const width = doc.clientWidth;

  // Elements that stick out of the viewport sideways; only the innermost are
  // named, as their ancestors stick out because of them.
  const wide = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > width + 1 || r.left < -1) wide.add(el);
  }
  const innermost = [...wide].filter((el) => ![...wide].some((o) => o !== el && el.contains(o)));

  // Elements that hide what does not fit, and have text that does not fit.
  const clipped = [];
  const hides = (v) => v === 'hidden' || v === 'clip';
  for (const el of document.querySelectorAll('body, body *')) {
    const cs = getComputedStyle(el);
    const x = hides(cs.overflowX) || cs.textOverflow === 'ellipsis';
    const y = hides(cs.overflowY);
    if (!x && !y) continue;
    // The visually-hidden pattern (1px by 1px, for screen readers) is meant to clip.
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue;
    if (!el.textContent.trim()) continue;
    if ((x && el.scrollWidth > el.clientWidth + 1) || (y && el.scrollHeight > el.clientHeight + 1)) {
      clipped.push(
        `${describe(el)} (scroll ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`,
      );
    }
  }

  return {
    scrollWidth: doc.scrollWidth,
    clientWidth: width,
    bodyScrollWidth: document.body.scrollWidth,
    bodyClientWidth: document.body.clientWidth,
    wide: innermost.slice(0, 10).map((el) => {
      const r = el.getBoundingClientRect();
      return `${describe(el)} (from ${Math.round(r.left)} to ${Math.round(r.right)}px)`;
    }),
    clipped,
  };
}

/**
 * Marks every element the keyboard should reach (links, form controls,
 * anything with a tabindex of 0 or more) that is rendered with data-tab-check and returns
 * each one's description and look when not focused.
 */
function markFocusables() {
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    const cls = [...el.classList].slice(0, 2);
    if (cls.length) s += `.${cls.join('.')}`;
    const href = el.getAttribute('href');
    if (href) s += `[href="${href}"]`;
    const text = (el.textContent || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const selector =
    'a[href], area[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), ' +
    'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  // Something not rendered (display: none, the hidden attribute) is out of the tab order by design.
  const rendered = [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0);
  return rendered.map((el, i) => {
    el.setAttribute('data-tab-check', String(i));
    const cs = getComputedStyle(el);
    return {
      index: i,
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') || '',
      description: describe(el),
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
      boxShadow: cs.boxShadow,
      background: cs.backgroundColor,
    };
  });
}

/** What has focus now, and how it looks. */
function focusState() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    index: el.hasAttribute('data-tab-check') ? Number(el.getAttribute('data-tab-check')) : -1,
    tag: el.tagName.toLowerCase(),
    id: el.id,
    className: el.className,
    outlineStyle: cs.outlineStyle,
    outlineWidth: parseFloat(cs.outlineWidth) || 0,
    outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow,
    background: cs.backgroundColor,
    clip: cs.clip,
    clipPath: cs.clipPath,
    rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height },
    viewport: { width: window.innerWidth, height: window.innerHeight },
  };
}

/** The text in <main> and whether it shows: colours, visibility, size. */
function mainText() {
  const main = document.querySelector('main');
  if (!main) return null;
  const r = main.getBoundingClientRect();
  const invisible = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (seen.has(el)) continue;
    seen.add(el);
    // Screen-reader-only text is meant to be unseen.
    if (el.closest('.visually-hidden')) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const cs = getComputedStyle(el);
    const er = el.getBoundingClientRect();
    const text = node.textContent.trim().slice(0, 40);
    if (er.width === 0 || er.height === 0) invisible.push(`"${text}" has no size`);
    else if (cs.color === cs.backgroundColor) invisible.push(`"${text}" is ${cs.color} on ${cs.backgroundColor}`);
    else if (/rgba\(.*,\s*0\)$/.test(cs.color)) invisible.push(`"${text}" has a transparent colour`);
  }
  return {
    text: main.innerText.replace(/\s+/g, ' ').trim(),
    visible: main.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && r.width > 0 && r.height > 0,
    invisible,
  };
}

/**
 * For print: whether each thing the printed listing must show is shown, and
 * each thing it must leave out is left out.
 */
function printFacts() {
  const shown = (el) => {
    if (!el || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.innerText.trim() !== '';
  };
  const hidden = (el) => !el || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  // The value (<dd>) of the first summary-list row whose key (<dt>) is `key`.
  const value = (key) => {
    const dt = [...document.querySelectorAll('main dt')].find((d) => d.textContent.trim() === key);
    return dt ? dt.nextElementSibling : null;
  };
  const table = document.querySelector('main table');
  return {
    name: shown(document.querySelector('main h1')) ? document.querySelector('main h1').innerText.trim() : null,
    address: shown(value('Address')),
    phone: shown(value('Phone')) && shown(document.querySelector('main a[href^="tel:"]')),
    times: shown(table) && table.querySelectorAll('tbody tr').length === 7,
    cost: shown(value('Cost')),
    headerNavHidden: [...document.querySelectorAll('header nav')].every(hidden),
    footerHidden: [...document.querySelectorAll('footer')].every(hidden),
    breadcrumbsHidden: [...document.querySelectorAll('nav[aria-label="Breadcrumb"]')].every(hidden),
  };
}

module.exports = { layoutProblems, markFocusables, focusState, mainText, printFacts };
