// Per-example browser of a MoCo-J report. Every text from the run log is set with textContent:
// model output is untrusted and is never parsed as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('example-data').textContent);
  var body = document.querySelector('#example-list tbody');
  var detail = document.getElementById('example-detail');
  var search = document.getElementById('search');
  var current = 'all';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(x) { return (typeof x === 'number') ? x.toFixed(3) : '-'; }
  function matches(ex) {
    if (current === 'failed' && !ex.method.error) return false;
    if (current !== 'all' && current !== 'failed' && ex.outcome !== current) return false;
    var q = search.value.trim().toLowerCase();
    if (!q) return true;
    return [ex.id, ex.prompt, ex.method.output].some(function (s) { return s && String(s).toLowerCase().indexOf(q) >= 0; });
  }
  function response(title, r, cls) {
    var box = el('div', 'resp' + (cls ? ' ' + cls : ''));
    box.appendChild(el('b', null, title + ': score ' + fmt(r.score) + (r.scoreFailed ? ' (score could not be computed)' : '')
      + (r.extracted ? ', extracted ' + r.extracted : '')));
    if (r.error) box.appendChild(el('div', 'loss', 'failed: ' + r.error));
    box.appendChild(el('pre', null, r.output === null || r.output === undefined ? '(no output)' : r.output));
    return box;
  }
  function show(ex, row) {
    Array.prototype.forEach.call(body.querySelectorAll('tr.sel'), function (r) { r.classList.remove('sel'); });
    if (row) row.classList.add('sel');
    detail.textContent = '';
    detail.appendChild(el('h3', null, 'Example ' + ex.id + (ex.group ? ' (' + ex.group + ')' : '')));
    if (ex.outcome) detail.appendChild(el('p', ex.outcome, ex.outcome + ' against ' + data.best));
    detail.appendChild(el('b', null, 'Prompt'));
    detail.appendChild(el('pre', null, ex.prompt));
    detail.appendChild(response(data.method + ' (method)', ex.method, 'm'));
    Object.keys(ex.singles).forEach(function (m) { detail.appendChild(response(m + ' alone', ex.singles[m])); });
    Object.keys(ex.extra).forEach(function (k) {
      detail.appendChild(el('b', null, k));
      var v = ex.extra[k];
      detail.appendChild(el('pre', null, typeof v === 'string' ? v : JSON.stringify(v, null, 2)));
    });
    detail.appendChild(el('b', null, 'Method trace (' + ex.trace.length + ' events)'));
    if (ex.trace.length === 0) detail.appendChild(el('p', 'sub', 'the method recorded no trace event for this example'));
    ex.trace.forEach(function (t) {
      detail.appendChild(el('pre', null, t.event + ' ' + JSON.stringify(t.data, null, 2)));
    });
  }
  function render() {
    body.textContent = '';
    var shown = 0, first = null;
    data.examples.forEach(function (ex) {
      if (!matches(ex)) return;
      var tr = el('tr');
      tr.appendChild(el('td', null, ex.id));
      tr.appendChild(el('td', null, ex.group || ''));
      tr.appendChild(el('td', null, fmt(ex.method.score) + (ex.method.error ? ' failed' : '')));
      tr.appendChild(el('td', null, fmt(ex.bestScore)));
      tr.appendChild(el('td', ex.outcome, ex.outcome));
      tr.addEventListener('click', function () { show(ex, tr); });
      body.appendChild(tr);
      if (!first) first = [ex, tr];
      shown++;
    });
    if (first) show(first[0], first[1]); else detail.textContent = 'No example matches this filter.';
    document.body.setAttribute('data-shown', String(shown));
  }
  Array.prototype.forEach.call(document.querySelectorAll('.filters button'), function (b) {
    b.addEventListener('click', function () {
      current = b.getAttribute('data-filter');
      Array.prototype.forEach.call(document.querySelectorAll('.filters button'), function (o) { o.classList.toggle('on', o === b); });
      render();
    });
  });
  search.addEventListener('input', render);
  // report.html#filter=loss opens the page on one filter (links from notes, and the browser test).
  var m = /filter=(\w+)/.exec(location.hash);
  var start = m && document.querySelector('.filters button[data-filter="' + m[1] + '"]');
  if (start) start.click(); else render();
  // Charts are inline SVG: the page counts those the browser laid out with a non-empty drawing.
  var drawn = 0;
  Array.prototype.forEach.call(document.querySelectorAll('figure.chart svg'), function (svg) {
    var box = svg.getBBox();
    if (box.width > 0 && box.height > 0 && svg.querySelectorAll('path,line,rect,polyline,polygon,circle').length > 0) drawn++;
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
  document.body.setAttribute('data-ready', 'ok');
})();
