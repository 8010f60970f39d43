/* dayopps shortlist: "Add to shortlist" on service cards and pages, and the shortlist page.
   The list is a set of page names (slugs) in this browser's localStorage; nothing leaves the
   browser but the fetches of the services' own pages. Everything here is made by the script,
   so with JavaScript off no control is offered that could not work. Slugs from a shared link
   are untrusted: only the slug shape is used, and every text goes in with textContent. */
(function () {
  if (typeof document === 'undefined') return;
  var script = document.currentScript;
  if (!script || !window.fetch || !window.DOMParser || !document.querySelector) return;
  var PAGE = script.getAttribute('data-shortlist-url');
  var SERVICES = script.getAttribute('data-services-url');
  // A theme's own base.html that loads the script without saying where things are gets nothing.
  if (!PAGE || !SERVICES) return;
  var SITE = script.getAttribute('data-site-title') || document.title;
  var KEY = 'dayopps-shortlist:' + SERVICES;
  var MAX = 50;
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  // ---- The list, kept in localStorage when the browser allows it.
  function clean(slugs) {
    var out = [];
    slugs.forEach(function (s) {
      if (typeof s === 'string' && SLUG.test(s) && s.length <= 100 && out.indexOf(s) < 0 && out.length < MAX) out.push(s);
    });
    return out;
  }
  function storage() {
    try {
      var t = 'dayopps-probe';
      window.localStorage.setItem(t, t);
      window.localStorage.removeItem(t);
      return window.localStorage;
    } catch (e) { return null; }
  }
  var store = storage();
  function load() {
    if (!store) return [];
    try {
      var v = JSON.parse(store.getItem(KEY) || '[]');
      return Array.isArray(v) ? clean(v) : [];
    } catch (e) { return []; }
  }
  function save(list) {
    if (!store) return false;
    try { store.setItem(KEY, JSON.stringify(clean(list))); return true; } catch (e) { return false; }
  }

  // ---- A polite live region on every page: changes are announced, focus stays put.
  var live = document.createElement('div');
  live.className = 'visually-hidden';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  live.id = 'shortlist-status';
  document.body.appendChild(live);
  function announce(text) {
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 50);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // ---- The link in the header, with how many services are on the list.
  var navLink = null;
  function navigation() {
    var ul = document.querySelector('.header__nav ul');
    if (!ul || !store) return;
    var li = el('li');
    navLink = el('a');
    navLink.href = PAGE;
    if (location.pathname === PAGE) navLink.setAttribute('aria-current', 'page');
    li.appendChild(navLink);
    ul.appendChild(li);
  }
  function counted() {
    if (navLink) navLink.textContent = 'Your shortlist (' + load().length + ')';
  }

  // ---- "Add to shortlist" buttons: the text says the state, the name says which service.
  function label(button, on) {
    var name = button.getAttribute('data-title');
    button.textContent = on ? 'Remove from shortlist' : 'Add to shortlist';
    var hidden = el('span', 'visually-hidden', ': ' + name);
    button.appendChild(hidden);
  }
  function refresh() {
    var list = load();
    Array.prototype.forEach.call(document.querySelectorAll('button[data-shortlist-toggle]'), function (b) {
      label(b, list.indexOf(b.getAttribute('data-shortlist-toggle')) >= 0);
    });
    counted();
  }
  function toggle(button) {
    var slug = button.getAttribute('data-shortlist-toggle'), name = button.getAttribute('data-title');
    var list = load(), at = list.indexOf(slug), adding = at < 0;
    if (adding && list.length >= MAX) { announce('Your shortlist is full. Remove a service to add another.'); return; }
    if (adding) list.push(slug); else list.splice(at, 1);
    if (!save(list)) { announce('Your shortlist could not be saved in this browser.'); return; }
    refresh();
    announce((adding ? 'Added ' + name + ' to' : 'Removed ' + name + ' from') +
      ' your shortlist. It has ' + plural(list.length) + '.');
  }
  function button(slug, title) {
    var b = el('button', 'button button--secondary button--small shortlist-toggle');
    b.type = 'button';
    b.setAttribute('data-shortlist-toggle', slug);
    b.setAttribute('data-title', title);
    label(b, load().indexOf(slug) >= 0);
    b.addEventListener('click', function () { toggle(b); });
    return b;
  }
  function plural(n) { return n + (n === 1 ? ' service' : ' services'); }
  // A card's slug is the last part of its link, /services/<slug>/.
  function slugOf(href) {
    var m = /\/services\/([a-z0-9-]+)\/?$/.exec(href || '');
    return m && SLUG.test(m[1]) ? m[1] : null;
  }
  function enhanceCards(root) {
    Array.prototype.forEach.call(root.querySelectorAll('li.card'), function (card) {
      if (card.querySelector('[data-shortlist-toggle]')) return;
      var link = card.querySelector('.card__title a');
      var slug = link && slugOf(link.getAttribute('href'));
      if (slug) card.appendChild(button(slug, link.textContent.trim()));
    });
  }
  function enhanceSlots() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-shortlist-slug]'), function (slot) {
      var slug = slot.getAttribute('data-shortlist-slug');
      if (SLUG.test(slug) && !slot.firstChild) slot.appendChild(button(slug, slot.getAttribute('data-shortlist-title') || slug));
    });
  }

  // ---- The shortlist page.
  // The facts a service's own page marks with data-fact, as text.
  function facts(doc) {
    var text = function (e) { return e.textContent.replace(/\s+/g, ' ').trim(); };
    var all = function (sel) { return Array.prototype.map.call(doc.querySelectorAll(sel), text).filter(Boolean); };
    var addresses = Array.prototype.map.call(doc.querySelectorAll('#where dl'), function (dl) {
      return Array.prototype.map.call(dl.querySelectorAll('[data-fact="address"], [data-fact="postcode"]'), text).join(', ');
    }).filter(Boolean);
    var times = [];
    Array.prototype.forEach.call(doc.querySelectorAll('[data-fact="week"] tbody tr'), function (row) {
      if (row.classList.contains('is-closed')) return;
      var th = row.querySelector('th'), td = row.querySelector('td');
      if (th && td) times.push(text(th) + ': ' + Array.prototype.map.call(td.childNodes, text).filter(Boolean).join(', '));
    });
    var h1 = doc.querySelector('h1');
    var pay = all('[data-fact="funding"] li');
    if (!pay.length) pay = all('[data-fact="funding"]');
    return {
      name: h1 ? text(h1) : '',
      address: addresses,
      phone: all('[data-fact="phone"]'),
      times: times.concat(all('[data-fact="times"]')),
      cost: all('[data-fact="cost"]').concat(pay.length ? ['Ways to pay: ' + pay.join(', ')] : [])
    };
  }
  function fetchFacts(slug) {
    // The body is read even for a missing page, so the request ends rather than lingers.
    return fetch(SERVICES + slug + '/', { credentials: 'same-origin' }).then(function (r) {
      return r.text().then(function (html) {
        return r.ok ? facts(new DOMParser().parseFromString(html, 'text/html')) : null;
      });
    }).then(null, function () { return null; });
  }
  function row(dl, key, values) {
    var div = el('div', 'summary-list__row'), dd = el('dd');
    div.appendChild(el('dt', null, key));
    if (!values.length) dd.textContent = 'Not given';
    values.forEach(function (v, i) { if (i) dd.appendChild(el('br')); dd.appendChild(document.createTextNode(v)); });
    div.appendChild(dd);
    dl.appendChild(div);
  }
  function item(slug, f, removable, onRemove) {
    var li = el('li', 'summary-card'), head = el('div', 'summary-card__title-wrapper');
    var h2 = el('h2', 'summary-card__title'), a = el('a', null, f ? f.name || slug : slug);
    a.href = SERVICES + slug + '/';
    h2.appendChild(a);
    head.appendChild(h2);
    if (removable) {
      var b = el('button', 'button button--secondary button--small shortlist__remove', 'Remove');
      b.type = 'button';
      b.appendChild(el('span', 'visually-hidden', ' ' + a.textContent + ' from your shortlist'));
      b.addEventListener('click', function () { onRemove(slug, a.textContent, li); });
      head.appendChild(b);
    }
    li.appendChild(head);
    var body = el('div', 'summary-card__content');
    if (!f) {
      body.appendChild(el('p', null, 'This service could not be found. It may have left the directory.'));
    } else {
      var dl = el('dl', 'summary-list');
      row(dl, 'Address', f.address);
      row(dl, 'Phone', f.phone);
      row(dl, 'Days and times', f.times);
      row(dl, 'Cost', f.cost);
      body.appendChild(dl);
    }
    li.appendChild(body);
    return li;
  }
  function shareURL(slugs) {
    return new URL(PAGE + '?s=' + slugs.join(','), location.href).href;
  }
  function mailto(slugs, names) {
    var lines = ['My shortlist of day services from ' + SITE + ':', ''];
    slugs.forEach(function (s, i) {
      lines.push((i + 1) + '. ' + (names[s] || s));
      lines.push('   ' + new URL(SERVICES + s + '/', location.href).href);
    });
    lines.push('', 'Open the whole list: ' + shareURL(slugs));
    return 'mailto:?subject=' + encodeURIComponent('My shortlist of day services') +
      '&body=' + encodeURIComponent(lines.join('\r\n'));
  }
  function shortlistPage(page) {
    var q = function (name) { return page.querySelector('[data-shortlist-' + name + ']'); };
    var params = new URLSearchParams(location.search);
    var shared = params.has('s') ? clean(params.get('s').split(',')) : null;
    var title = document.getElementById('shortlist-title');
    q('off').hidden = true;
    q('on').hidden = false;
    q('unsaved').hidden = !!store;
    q('print').addEventListener('click', function () { window.print(); });
    q('keep').addEventListener('click', function () {
      var saved = save(load().concat(shared));
      shared = null;
      history.replaceState(null, '', PAGE);
      show(saved ? 'Saved. These services are now on your shortlist.' : 'Your shortlist could not be saved in this browser.');
    });
    var token = 0, names = {};
    function show(message) {
      var mine = ++token, slugs = shared || load();
      q('shared').hidden = !shared || !store;
      q('total').textContent = slugs.length ? 'Loading ' + plural(slugs.length) + '…' : '';
      q('empty').hidden = slugs.length > 0;
      q('actions').hidden = true;
      q('list').textContent = '';
      counted();
      return Promise.all(slugs.map(fetchFacts)).then(function (found) {
        if (mine !== token) return;
        q('total').textContent = slugs.length ? plural(slugs.length) + ' on ' + (shared ? 'this' : 'your') + ' shortlist' : '';
        slugs.forEach(function (s, i) {
          if (found[i] && found[i].name) names[s] = found[i].name;
          q('list').appendChild(item(s, found[i], !shared, remove));
        });
        q('actions').hidden = slugs.length === 0;
        q('mail').href = mailto(slugs, names);
        q('share').value = slugs.length ? shareURL(slugs) : '';
        if (message) announce(message);
      });
    }
    // Focus goes to the next service's name, or the heading when none is left.
    function remove(slug, name, li) {
      var next = li.nextElementSibling || li.previousElementSibling;
      var list = load(), at = list.indexOf(slug);
      if (at >= 0) list.splice(at, 1);
      if (!save(list)) { announce('Your shortlist could not be saved in this browser.'); return; }
      li.parentNode.removeChild(li);
      var link = next && next.querySelector('a');
      if (link) link.focus(); else title.focus();
      q('empty').hidden = list.length > 0;
      q('actions').hidden = list.length === 0;
      q('total').textContent = list.length ? plural(list.length) + ' on your shortlist' : '';
      q('share').value = list.length ? shareURL(list) : '';
      q('mail').href = mailto(list, names);
      counted();
      announce('Removed ' + name + ' from your shortlist. It has ' + plural(list.length) + '.');
    }
    show();
    window.addEventListener('storage', function (e) { if (e.key === KEY && !shared) show(); });
  }

  navigation();
  counted();
  var page = document.querySelector('[data-shortlist-page]');
  if (page) { shortlistPage(page); return; }
  if (!store) return;
  enhanceSlots();
  enhanceCards(document);
  // Search results come and go as people type: cards search.js adds get a button too.
  var results = document.getElementById('search-list');
  if (results && window.MutationObserver) {
    new MutationObserver(function () { enhanceCards(results); }).observe(results, { childList: true });
  }
  window.addEventListener('storage', function (e) { if (e.key === KEY) refresh(); });
})();
