/*
 * The ViewPush console: one page, no library, no build step. It asks for an API key once, keeps it
 * in this tab's sessionStorage (never a cookie, never in an address) and sends it in the
 * Authorization header of every API call. Everything the database or a receiver supplied is put
 * into the page as text (textContent, text nodes, attribute values), never as markup.
 */
'use strict';
(function () {
  var KEY_STORE = 'viewpush.apiKey';
  var REFRESH_MS = 5000;
  var PAGE_SIZE = 20;
  var JOURNAL_SIZE = 50;
  var CHART_SIZE = 200;

  var key = null;
  try { key = window.sessionStorage.getItem(KEY_STORE); } catch (e) { key = null; }
  var me = null;
  var timer = null;
  var generation = 0;
  var main = document.getElementById('main');
  var who = document.getElementById('who');
  var signout = document.getElementById('signout');

  // ---- building the page: text only -------------------------------------------------------------

  /** An element with attributes (strings) and children (nodes or strings, as text). */
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) { return; }
        if (k === 'class') { e.className = v; } else if (k === 'text') { e.textContent = v; } else {
          e.setAttribute(k, v === true ? '' : String(v));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) { add(e, arguments[i]); }
    return e;
  }

  function add(parent, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { add(parent, c); }); return; }
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function svg(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function time(iso) {
    if (!iso) { return el('span', {class: 'note', text: '\u2014'}); }
    var d = new Date(iso);
    return el('time', {datetime: iso, title: iso, text: isNaN(d) ? iso : d.toLocaleString()});
  }

  function number(n) { return (n === null || n === undefined) ? '\u2014' : Number(n).toLocaleString(); }

  /** "1 row", "2 rows", "1 push", "3 pushes" */
  function count(n, noun) {
    return number(n) + ' ' + (n === 1 ? noun : noun + (/(sh|s)$/.test(noun) ? 'es' : 's'));
  }

  function bytes(n) {
    if (n === null || n === undefined) { return '\u2014'; }
    if (n < 1024) { return n + ' B'; }
    if (n < 1024 * 1024) { return (n / 1024).toFixed(1) + ' KiB'; }
    return (n / 1024 / 1024).toFixed(1) + ' MiB';
  }

  function duration(ms) {
    if (ms === null || ms === undefined) { return '\u2014'; }
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  }

  function iso(d) {
    if (!d) { return '\u2014'; }
    var m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(d);
    if (!m) { return d; }
    return [m[1] ? m[1] + ' h' : '', m[2] ? m[2] + ' min' : '', m[3] ? m[3] + ' s' : ''].join(' ').trim() || '0 s';
  }

  // ---- the API ------------------------------------------------------------------------------------

  /** Calls the API with the key (and a JSON body, if given); resolves to {status, ok, body} (body: parsed JSON or null). */
  function api(method, path, json) {
    var request;
    var headers = {'Authorization': 'Bearer ' + key, 'Accept': 'application/json'};
    if (json !== undefined) { headers['Content-Type'] = 'application/json'; }
    try {
      request = fetch('../api/' + path, {
        method: method, headers: headers, body: json === undefined ? undefined : JSON.stringify(json),
        credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', redirect: 'error'
      });
    } catch (e) {
      return Promise.resolve({status: 0, ok: false, body: {detail: 'the key cannot be sent: ' + e.message}});
    }
    return request.then(function (res) {
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        return {status: res.status, ok: res.ok, body: body};
      });
    }, function (e) {
      return {status: 0, ok: false, body: {detail: 'the server did not answer (' + e.message + ')'}};
    });
  }

  function viewPath(name) { return 'views/' + encodeURIComponent(name); }

  function detail(r) {
    return (r.body && r.body.detail) ? r.body.detail : 'HTTP ' + r.status;
  }

  // ---- signing in ---------------------------------------------------------------------------------

  function signOut() {
    key = null;
    me = null;
    try { window.sessionStorage.removeItem(KEY_STORE); } catch (e) { /* nothing kept */ }
    route();
  }

  signout.addEventListener('click', signOut);

  function loginPage(message) {
    stopRefresh();
    clear(who);
    signout.hidden = true;
    clear(main);
    var input = el('input', {type: 'password', id: 'key', name: 'key', autocomplete: 'off', spellcheck: 'false',
      required: true, 'aria-describedby': 'login-error'});
    var error = el('p', {id: 'login-error', class: 'error', role: 'alert', text: message || ''});
    var form = el('form', {class: 'login', id: 'login'},
      el('label', {for: 'key', text: 'API key'}), input,
      el('button', {type: 'submit', class: 'primary', id: 'signin', text: 'Sign in'}),
      error,
      el('p', {class: 'note', text: 'The key stays in this browser tab only and is sent in the Authorization'
        + ' header of each request.'}));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      key = input.value.trim();
      if (!key) { return; }
      api('GET', 'me').then(function (r) {
        if (!r.ok) {
          key = null;
          loginPage('Refused: ' + detail(r));
          return;
        }
        me = r.body;
        try { window.sessionStorage.setItem(KEY_STORE, key); } catch (e) { /* kept in memory only */ }
        route();
      });
    });
    main.appendChild(el('h1', {text: 'Sign in'}));
    main.appendChild(form);
    input.focus();
  }

  function showWho() {
    clear(who);
    who.appendChild(document.createTextNode('Key: ' + me.name + (me.admin ? ' (admin)' : '')));
    signout.hidden = false;
  }

  // ---- navigation ---------------------------------------------------------------------------------

  function stopRefresh() {
    if (timer) { clearInterval(timer); timer = null; }
  }

  function route() {
    generation++;
    stopRefresh();
    if (!key) { loginPage(); return; }
    if (!me) {
      api('GET', 'me').then(function (r) {
        if (!r.ok) { key = null; loginPage(r.status === 401 ? 'Refused: ' + detail(r) : detail(r)); return; }
        me = r.body;
        route();
      });
      return;
    }
    showWho();
    var hash = window.location.hash || '#/';
    var m = /^#\/view\/(.+)$/.exec(hash);
    if (m) {
      var name;
      try { name = decodeURIComponent(m[1]); } catch (e) { name = null; }
      if (name !== null) { viewPage(name); return; }
    }
    listPage();
  }

  window.addEventListener('hashchange', route);

  /** A page's refresh: run now, then every few seconds while the page is shown. */
  function every(fn) {
    var mine = generation;
    fn(mine);
    timer = setInterval(function () { if (mine === generation) { fn(mine); } }, REFRESH_MS);
  }

  function failed(r) {
    if (r.status === 401) { signOut(); return true; }
    return false;
  }

  // ---- the list of views --------------------------------------------------------------------------

  /** healthy, failing, paused or idle (a pull-only view, or one that has not pushed yet). */
  function state(v) {
    if (v.paused === true) { return 'paused'; }
    if (!v.pushable) { return 'idle'; }
    if (v.consecutiveFailures > 0) { return 'failing'; }
    if (v.lastSuccess) { return 'healthy'; }
    return 'idle';
  }

  function badge(v) {
    var s = state(v);
    return el('span', {class: 'state state-' + s, 'data-state': s, text: s});
  }

  function nextPush(v) {
    if (v.paused === true) { return el('span', {text: 'paused'}); }
    if (v.pushing) { return el('span', {text: 'pushing now'}); }
    if (!v.pushable) { return el('span', {class: 'note', text: 'pull only'}); }
    return time(v.nextDue);
  }

  function waitingText(w) {
    if (!w) { return '?'; }
    return w.more ? 'more than ' + number(w.limit) : number(w.rows);
  }

  function listPage() {
    clear(main);
    var h1 = el('h1', {tabindex: '-1', text: 'Views'});
    var status = el('p', {class: 'note', role: 'status', id: 'list-status'});
    var body = el('tbody');
    var table = el('table', {class: 'cards', id: 'views'},
      el('thead', null, el('tr', null, ['View', 'State', 'Last success', 'Last failure', 'Reason', 'Next push',
        'Rows waiting'].map(function (t) { return el('th', {scope: 'col', text: t}); }))), body);
    main.appendChild(h1);
    main.appendChild(status);
    main.appendChild(el('div', {class: 'scroll'}, table));
    h1.focus();
    every(function (mine) {
      api('GET', 'views').then(function (r) {
        if (mine !== generation) { return; }
        if (!r.ok) { if (!failed(r)) { status.textContent = 'Could not list the views: ' + detail(r); } return; }
        status.textContent = r.body.length === 0 ? 'This key sees no views.' : '';
        var rows = r.body.map(function (v) {
          var waiting = el('td', {class: 'num', 'data-label': 'Rows waiting', 'data-cell': 'waiting', text: '\u2026'});
          api('GET', viewPath(v.name) + '/waiting').then(function (w) {
            waiting.textContent = w.ok ? waitingText(w.body) : '?';
          });
          return el('tr', {'data-view': v.name},
            el('td', {'data-label': 'View', 'data-cell': 'name'},
              el('a', {href: '#/view/' + encodeURIComponent(v.name), text: v.name})),
            el('td', {'data-label': 'State', 'data-cell': 'state'}, badge(v)),
            el('td', {'data-label': 'Last success'}, time(v.lastSuccess)),
            el('td', {'data-label': 'Last failure'}, time(v.lastFailure)),
            el('td', {'data-label': 'Reason', 'data-cell': 'reason', text: v.lastFailureReason || ''}),
            el('td', {'data-label': 'Next push'}, nextPush(v)),
            waiting);
        });
        clear(body);
        add(body, rows);
      });
    });
  }

  // ---- one view -----------------------------------------------------------------------------------

  function viewPage(name) {
    clear(main);
    var mine = generation;
    var h1 = el('h1', {tabindex: '-1', id: 'view-name', text: name});
    var facts = el('dl', {class: 'facts', id: 'facts'});
    var actions = el('div', {class: 'actions', id: 'actions'});
    var result = el('p', {class: 'result', id: 'action-result', role: 'status', 'aria-live': 'polite'});
    var definition = el('div', {id: 'definition'});
    var chart = el('div', {id: 'chart'});
    var journal = el('div', {id: 'journal'});
    var preview = el('div', {id: 'preview'});
    add(main, [el('p', null, el('a', {href: '#/', text: '\u2190 All views'})), h1, facts, actions, result,
      el('h2', {text: 'Rows pushed and failures'}), chart,
      el('h2', {text: 'Recent pushes'}), journal,
      el('h2', {text: 'Preview: what a push would send now'}), preview,
      el('h2', {text: 'Definition'}), definition]);
    h1.focus();

    var view = null;
    function refresh(m) {
      api('GET', 'views').then(function (r) {
        if (m !== generation) { return; }
        if (!r.ok) { if (!failed(r)) { result.textContent = detail(r); } return; }
        view = r.body.filter(function (v) { return v.name === name; })[0] || null;
        if (!view) {
          clear(facts);
          add(facts, [el('dt', {text: 'View'}), el('dd', {text: 'not visible with this key'})]);
          return;
        }
        showFacts(facts, view);
        if (!actions.firstChild) { showActions(actions, result, view, function () { refresh(generation); }); }
        api('GET', viewPath(name) + '/waiting').then(function (w) {
          var cell = document.getElementById('fact-waiting');
          if (cell && m === generation) { cell.textContent = w.ok ? waitingText(w.body) : '?'; }
        });
      });
      if (me.admin) {
        api('GET', viewPath(name) + '/pushes?limit=' + CHART_SIZE).then(function (r) {
          if (m !== generation) { return; }
          if (!r.ok) { if (!failed(r)) { clear(journal); journal.appendChild(el('p', {class: 'error', text: detail(r)})); } return; }
          showChart(chart, r.body);
          showJournal(journal, r.body.slice(0, JOURNAL_SIZE));
        });
      }
    }
    if (!me.admin) {
      chart.appendChild(el('p', {class: 'note', text: 'The push journal needs an admin key.'}));
      journal.appendChild(el('p', {class: 'note', text: 'The push journal needs an admin key.'}));
    }
    api('GET', viewPath(name) + '/definition').then(function (r) {
      if (mine !== generation) { return; }
      if (r.ok) { showDefinition(definition, r.body); showPreview(preview, name, r.body, mine); } else if (!failed(r)) {
        definition.appendChild(el('p', {class: 'error', text: detail(r)}));
        preview.appendChild(el('p', {class: 'error', text: detail(r)}));
      }
    });
    every(refresh);
  }

  function showFacts(facts, v) {
    clear(facts);
    function fact(label, value, id) {
      add(facts, [el('dt', {text: label}), el('dd', {id: id}, value)]);
    }
    fact('State', badge(v), 'fact-state');
    fact('Last success', time(v.lastSuccess));
    fact('Last failure', time(v.lastFailure));
    fact('Reason', v.lastFailureReason || '\u2014', 'fact-reason');
    fact('Consecutive failures', number(v.consecutiveFailures || 0));
    fact('Next push', nextPush(v));
    fact('Rows waiting', '\u2026', 'fact-waiting');
  }

  function showActions(actions, result, v, after) {
    if (!me.admin || !v.pushable) { return; }
    var busy = false;
    function call(b, label, verb, json, done) {
        if (busy) { return; }
        busy = true;
        b.disabled = true;
        result.textContent = label + '\u2026';
        api('POST', viewPath(v.name) + '/' + verb, json).then(function (r) {
          busy = false;
          b.disabled = false;
          if (r.status === 404 && r.body && /^no such endpoint/.test(r.body.detail || '')) {
            b.disabled = true;
            b.title = 'this server has no ' + verb + ' endpoint';
            result.textContent = label + ': this server does not offer it.';
            return;
          }
          result.textContent = r.ok ? done(r.body) : label + ' failed: ' + detail(r);
          after();
        });
    }
    function button(id, label, verb, done) {
      var b = el('button', {type: 'button', id: id, text: label});
      b.addEventListener('click', function () { call(b, label, verb, undefined, done); });
      return b;
    }
    actions.appendChild(button('push-now', 'Push now', 'push', function (a) {
      return 'Push: ' + a.status + ', ' + number(a.rowsSent) + ' rows sent, ' + number(a.rowsStamped)
        + ' stamped. ' + a.reason;
    }));
    // pause, resume and replay: shown only when the server has the endpoint (a GET of it is a 405, not a 404)
    var offered = ['pause', 'resume', 'replay'].map(function (verb) {
      return api('GET', viewPath(v.name) + '/' + verb).then(function (r) { return r.status !== 404 && r.status !== 0; });
    });
    Promise.all(offered).then(function (has) {
      if (has[0]) {
        actions.appendChild(button('pause', 'Pause', 'pause', function (b) {
          return b.changed === false ? 'Pause: the view was paused already.' : 'Pause: the view is paused; no engine pushes it.';
        }));
      }
      if (has[1]) {
        actions.appendChild(button('resume', 'Resume', 'resume', function (b) {
          return b.changed === false ? 'Resume: the view was not paused.' : 'Resume: the view pushes again.';
        }));
      }
      if (has[2]) { actions.appendChild(replayForm(call)); }
    });
  }

  /** Replay: which rows (all, some keys, stamped since), counted first with a dry run if wished. */
  function replayForm(call) {
    var what = el('select', {id: 'replay-what'},
      el('option', {value: 'keys', text: 'rows with these keys'}),
      el('option', {value: 'since', text: 'rows stamped since (ISO date-time)'}),
      el('option', {value: 'all', text: 'all rows'}));
    var value = el('input', {type: 'text', id: 'replay-value', placeholder: '1, 2, 3', 'aria-label': 'keys or date-time'});
    var count = el('button', {type: 'button', id: 'replay-count', text: 'Count (dry run)'});
    var go = el('button', {type: 'button', id: 'replay', text: 'Replay'});
    what.addEventListener('change', function () {
      value.hidden = what.value === 'all';
      value.placeholder = what.value === 'since' ? '2024-05-01T10:00:00Z' : '1, 2, 3';
    });
    function body(dryRun) {
      var b = {};
      if (what.value === 'all') { b.all = true; } else if (what.value === 'since') { b.since = value.value.trim(); } else {
        b.keys = value.value.split(',').map(function (k) { return k.trim(); }).filter(function (k) { return k !== ''; });
      }
      if (dryRun) { b.dryRun = true; }
      return b;
    }
    function done(r) {
      return r.dryRun ? 'Replay (dry run): ' + count_(r.rows) + ' would be sent again; nothing changed.'
        : 'Replay: ' + count_(r.rows) + ' will be sent again with the next push.';
    }
    count.addEventListener('click', function () { call(count, 'Replay (dry run)', 'replay', body(true), done); });
    go.addEventListener('click', function () { call(go, 'Replay', 'replay', body(false), done); });
    return el('fieldset', {class: 'replay', id: 'replay-form'}, el('legend', {text: 'Replay: send rows again'}),
      el('label', {for: 'replay-what', class: 'note', text: 'Which rows'}), what, value, count, go);
  }

  function count_(n) { return count(n, 'row'); }

  function showDefinition(box, d) {
    clear(box);
    var facts = el('dl', {class: 'facts'});
    function fact(label, value) { add(facts, [el('dt', {text: label}), el('dd', null, value)]); }
    fact('Table', el('code', {text: d.table}));
    fact('Key', d.key);
    if (d.filters.length) { fact('Filters', d.filters.map(function (f) { return el('div', null, el('code', {text: f})); })); }
    if (d.push) {
      if (d.push.url) { fact('Pushes to', el('code', {text: d.push.url})); }
      fact('Stamp', d.push.stamp);
      if (d.push.modified) { fact('Modified field', d.push.modified); }
      fact('Minimum interval', iso(d.push.minInterval));
      fact('Rows per request', d.push.maxRows === 0 ? 'all in one' : number(d.push.maxRows));
      fact('Body', d.push.format + (d.push.signed ? ', signed' : ''));
      fact('Timeout', iso(d.push.timeout));
    } else {
      fact('Push', 'none (pull only)');
    }
    box.appendChild(facts);
    var fields = el('tbody');
    d.fields.forEach(function (f) {
      fields.appendChild(el('tr', null, el('td', {text: f.name}), el('td', null, el('code', {text: f.column})),
        el('td', {text: f.type}), el('td', {text: f.writable ? 'writable' : ''})));
    });
    d.calculations.forEach(function (c) {
      fields.appendChild(el('tr', null, el('td', {text: c.name}), el('td', null, el('code', {text: c.expression})),
        el('td', {text: c.type}), el('td', {text: 'calculated'})));
    });
    box.appendChild(el('div', {class: 'scroll'}, el('table', {id: 'fields'},
      el('thead', null, el('tr', null, ['Field', 'Column or expression', 'Type', ''].map(function (t) {
        return el('th', {scope: 'col', text: t});
      }))), fields)));
  }

  function showJournal(box, attempts) {
    clear(box);
    if (!attempts.length) { box.appendChild(el('p', {class: 'note', text: 'No pushes yet.'})); return; }
    var body = el('tbody');
    attempts.forEach(function (a) {
      body.appendChild(el('tr', {'data-status': a.status},
        el('td', null, time(a.startedAt)),
        el('td', {text: a.trigger}),
        el('td', {text: a.status}),
        el('td', {class: 'num', text: number(a.rowsSent)}),
        el('td', {class: 'num', text: bytes(a.bytes)}),
        el('td', {class: 'num', text: duration(a.durationMs)}),
        el('td', {class: 'num', text: a.httpStatus === null ? '\u2014' : String(a.httpStatus)}),
        el('td', {class: 'mono', 'data-cell': 'reason', text: a.reason})));
    });
    box.appendChild(el('div', {class: 'scroll'}, el('table', {id: 'pushes'},
      el('thead', null, el('tr', null, ['Started', 'Trigger', 'Status', 'Rows', 'Bytes', 'Duration', 'HTTP',
        'Reason and receiver answer'].map(function (t) { return el('th', {scope: 'col', text: t}); }))), body)));
  }

  /** Rows pushed (bars) and failed pushes (red marks) over the journal's time span, in 24 slots. */
  function showChart(box, attempts) {
    clear(box);
    if (!attempts.length) { box.appendChild(el('p', {class: 'note', text: 'No pushes yet.'})); return; }
    var SLOTS = 24, W = 800, H = 180, TOP = 14, BOTTOM = 20;
    var times = attempts.map(function (a) { return Date.parse(a.startedAt); });
    var from = Math.min.apply(null, times), to = Math.max.apply(null, times);
    var span = Math.max(to - from, 60000);
    var slots = [];
    for (var i = 0; i < SLOTS; i++) { slots.push({rows: 0, failures: 0, pushes: 0}); }
    attempts.forEach(function (a, n) {
      var s = Math.min(SLOTS - 1, Math.floor((times[n] - from) / span * SLOTS));
      // rows pushed: what receivers accepted (a failed push's rows went out again later)
      slots[s].rows += a.status === 'success' ? a.rowsSent : a.status === 'partial' ? a.rowsStamped + a.rowsSkipped : 0;
      slots[s].pushes++;
      if (a.status === 'failed' || a.status === 'partial') { slots[s].failures++; }
    });
    var maxRows = Math.max.apply(null, slots.map(function (s) { return s.rows; })) || 1;
    var failures = slots.reduce(function (t, s) { return t + s.failures; }, 0);
    var rows = slots.reduce(function (t, s) { return t + s.rows; }, 0);
    var summary = count(rows, 'row') + ' pushed and ' + count(failures, 'failed push') + ' in '
      + count(attempts.length, 'push') + ' from ' + new Date(from).toLocaleString() + ' to ' + new Date(to).toLocaleString();
    var chart = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, class: 'chart', role: 'img', 'aria-label': summary,
      id: 'chart-svg'});
    var slotW = W / SLOTS, plotH = H - TOP - BOTTOM;
    slots.forEach(function (s, n) {
      var slotFrom = new Date(from + span * n / SLOTS), slotTo = new Date(from + span * (n + 1) / SLOTS);
      var label = slotFrom.toLocaleString() + ' \u2013 ' + slotTo.toLocaleTimeString() + ': ' + count(s.rows, 'row')
        + ' pushed in ' + count(s.pushes, 'push') + ', ' + s.failures + ' failed';
      if (s.rows > 0) {
        var h = Math.max(1, s.rows / maxRows * plotH);
        var bar = svg('rect', {x: n * slotW + 2, y: TOP + plotH - h, width: slotW - 4, height: h, class: 'rows'});
        var title = svg('title');
        title.textContent = label;
        bar.appendChild(title);
        chart.appendChild(bar);
      }
      if (s.failures > 0) {
        var mark = svg('rect', {x: n * slotW + 2, y: TOP + plotH + 3, width: slotW - 4, height: 6, class: 'failures'});
        var t2 = svg('title');
        t2.textContent = label;
        mark.appendChild(t2);
        chart.appendChild(mark);
      }
    });
    var top = svg('text', {x: 4, y: 11});
    top.textContent = count(maxRows, 'row');
    var left = svg('text', {x: 4, y: H - 2});
    left.textContent = new Date(from).toLocaleString();
    var right = svg('text', {x: W - 4, y: H - 2, 'text-anchor': 'end'});
    right.textContent = new Date(to).toLocaleString();
    add(chart, [top, left, right]);
    box.appendChild(chart);
    box.appendChild(el('div', {class: 'legend'},
      el('span', null, el('span', {class: 'swatch rows'}), 'rows pushed'),
      el('span', null, el('span', {class: 'swatch failures'}), 'failed pushes')));
    box.appendChild(el('p', {class: 'note', id: 'chart-summary', text: summary + '.'}));
  }

  /** The rows a push would send now, a page at a time (the pull API, paged by key). */
  function showPreview(box, name, d, mine) {
    var afters = [];
    var after = null;
    var columns = d.fields.map(function (f) { return f.name; }).concat(d.calculations.map(function (c) { return c.name; }));
    var status = el('p', {class: 'note', role: 'status', id: 'preview-status'});
    var table = el('div', {class: 'scroll'});
    var prev = el('button', {type: 'button', id: 'preview-prev', text: 'Previous page', disabled: true});
    var next = el('button', {type: 'button', id: 'preview-next', text: 'Next page', disabled: true});
    var reload = el('button', {type: 'button', id: 'preview-reload', text: 'Reload'});
    clear(box);
    add(box, [el('div', {class: 'pager'}, prev, next, reload), status, table]);

    function load() {
      var q = '?limit=' + (PAGE_SIZE + 1) + (after === null ? '' : '&after=' + encodeURIComponent(String(after)));
      status.textContent = 'Loading\u2026';
      api('GET', viewPath(name) + q).then(function (r) {
        if (mine !== generation) { return; }
        if (!r.ok) { if (!failed(r)) { status.textContent = 'Could not read the rows: ' + detail(r); } return; }
        var rows = r.body.slice(0, PAGE_SIZE);
        var more = r.body.length > PAGE_SIZE;
        var shown = rows.length ? columns.filter(function (c) { return rows.some(function (row) { return c in row; }); }) : columns;
        var body = el('tbody');
        rows.forEach(function (row) {
          var held = Array.isArray(row.$unencodable) && row.$unencodable.length > 0;
          body.appendChild(el('tr', {class: held ? 'held' : null, title: held ? 'a push holds this row back: '
            + row.$unencodable.join(', ') + ' cannot be sent as JSON' : null},
            shown.map(function (c) {
              var v = row[c];
              return el('td', {text: v === null || v === undefined ? '' : (typeof v === 'object' ? JSON.stringify(v) : String(v))});
            })));
        });
        clear(table);
        table.appendChild(el('table', {id: 'preview-rows'}, el('thead', null, el('tr', null, shown.map(function (c) {
          return el('th', {scope: 'col', text: c});
        }))), body));
        var first = afters.length * PAGE_SIZE + 1;
        status.textContent = rows.length === 0 ? (afters.length ? 'No more rows.' : 'No rows: a push would send nothing now.')
          : 'Rows ' + number(first) + ' to ' + number(first + rows.length - 1) + (more ? ' (more follow)' : '')
          + (d.push ? '. Nothing is sent or stamped by looking.' : '. This view is pull only.');
        prev.disabled = afters.length === 0;
        next.disabled = !more;
        next.onclick = function () {
          afters.push(after);
          after = rows[rows.length - 1][d.key];
          load();
        };
      });
    }
    prev.addEventListener('click', function () { after = afters.pop(); if (after === undefined) { after = null; } load(); });
    reload.addEventListener('click', load);
    load();
  }

  route();
}());
