// The dashboard page: static HTML, a script and a style sheet served by the dashboard itself (its CSP
// allows nothing else). The script renders the state the server streams with textContent only, so
// nothing a target or a note says can become markup.

/** The page; the token stays in the address (never in the page), the script reads it from there. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline game day</title><link rel="stylesheet" href="/app.css"></head>
<body>
<header><h1 id="title">faultline game day</h1><p id="objective"></p><p id="status" data-state="connecting">connecting…</p></header>
<main>
<section><h2>Now</h2>
<dl>
<dt>Step</dt><dd id="step">—</dd>
<dt>Scenario</dt><dd id="scenario">—</dd>
<dt>Phase</dt><dd id="phase" data-phase="">—</dd>
</dl>
<div id="manual" hidden><p><strong>Manual step:</strong> <span id="manual-text"></span></p><p id="manual-deadline"></p></div>
<p class="controls"><button id="halt" type="button">Halt</button> <button id="continue" type="button" disabled>Continue</button></p>
<p id="control-result" role="status"></p>
</section>
<section><h2>Steps</h2><ol id="steps"></ol></section>
<section><h2>Hypotheses</h2><ul id="hypotheses"></ul></section>
<section><h2>Probes</h2><table><thead><tr><th>probe</th><th>state</th><th>detail</th></tr></thead><tbody id="probes"></tbody></table>
<h3>Stop conditions</h3><table><thead><tr><th>probe</th><th>state</th><th>detail</th></tr></thead><tbody id="stop-conditions"></tbody></table></section>
<section><h2>TTD and RTO as measured</h2><table><thead><tr><th>scenario</th><th>run</th><th>TTD</th><th>RTO</th><th>state</th></tr></thead><tbody id="figures"></tbody></table></section>
<section><h2>Notes</h2><ul id="notes"></ul>
<form id="note-form"><input id="note-author" placeholder="your name" maxlength="80"> <input id="note-text" placeholder="what you saw" maxlength="2000" required> <button type="submit">Add note</button></form></section>
</main>
<script src="/app.js"></script>
</body></html>
`;

/** The page's style. */
export const DASHBOARD_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;color:#1d2330;background:#fff}
h1{margin:.2rem 0}section{margin:1rem 0}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d8dce4;padding:.25rem .5rem;text-align:left}
dl{display:grid;grid-template-columns:8rem 1fr;gap:.2rem}dt{color:#5a6275}.ok{color:#1c7a35}.fail{color:#b3261e;font-weight:600}
#halt{background:#b3261e;color:#fff;border:0;padding:.5rem 1.2rem;font-weight:600;border-radius:4px}#continue{padding:.5rem 1.2rem}
#status[data-state=live]{color:#1c7a35}#status[data-state=ended],#status[data-state=lost]{color:#5a6275}#manual{border-left:4px solid #c77800;padding-left:.6rem}
@media (prefers-color-scheme:dark){body{background:#15181e;color:#e3e6ec}th,td{border-color:#343a46}}
`;

/** The page's script: one EventSource for the state, fetch with the token header for controls. */
export const DASHBOARD_JS = `'use strict';
(function () {
  var token = new URLSearchParams(location.search).get('token') || '';
  var byId = function (id) { return document.getElementById(id); };
  var text = function (id, value) { byId(id).textContent = value; };
  var ms = function (v) { return v === null || v === undefined ? '—' : v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(2) + ' s'; };
  var row = function (cells, cls) {
    var tr = document.createElement('tr');
    cells.forEach(function (c, i) { var td = document.createElement('td'); td.textContent = c; if (cls && i === 1) td.className = cls; tr.appendChild(td); });
    return tr;
  };
  var fill = function (id, nodes) { var el = byId(id); el.replaceChildren.apply(el, nodes); };
  var probeRows = function (list) { return list.map(function (p) { return row([p.name, p.ok ? 'passing' : 'FAILING', p.detail || ''], p.ok ? 'ok' : 'fail'); }); };
  var state = null;
  function render(s) {
    state = s;
    text('title', s.title ? 'Game day: ' + s.title : 'faultline run ' + (s.runId || ''));
    text('objective', s.objective || '');
    fill('hypotheses', s.hypotheses.map(function (h) {
      var li = document.createElement('li');
      var results = h.scenarios.map(function (id) { return id + ': ' + (h.verdicts[id] || 'not yet'); }).join(', ');
      li.textContent = h.statement + ' — ' + results;
      return li;
    }));
    var step = s.currentStep === null ? null : s.steps[s.currentStep];
    text('step', step ? (step.index + 1) + '/' + s.steps.length + ' ' + step.name + ' (' + step.kind + ')' : '—');
    text('scenario', s.scenario ? '[' + s.scenario.position + '/' + s.scenario.total + '] ' + s.scenario.id + (s.run ? ' run ' + s.run + '/' + s.scenario.runs : '') + ' — ' + s.scenario.title : '—');
    var phase = s.ended ? 'ended: ' + s.ended.verdict + ' (exit ' + s.ended.exitCode + ')' : s.phase || '—';
    text('phase', phase);
    byId('phase').setAttribute('data-phase', s.ended ? 'ended' : s.phase || '');
    byId('manual').hidden = !s.manual;
    if (s.manual) { text('manual-text', s.manual.name + ': ' + s.manual.instruction); text('manual-deadline', 'waits until ' + new Date(s.manual.deadline).toLocaleTimeString()); }
    byId('continue').disabled = !s.manual || !!s.ended;
    byId('halt').disabled = !!s.ended || !!s.halt;
    fill('steps', s.steps.map(function (st) { var li = document.createElement('li'); li.textContent = st.name + ' — ' + st.kind + ' — ' + st.state; li.setAttribute('data-state', st.state); return li; }));
    fill('probes', probeRows(s.probes));
    fill('stop-conditions', probeRows(s.stopConditions));
    fill('figures', s.figures.map(function (f) { return row([f.scenario, String(f.run), ms(f.ttdMs), ms(f.rtoMs), f.status]); }));
    fill('notes', s.notes.map(function (n) { var li = document.createElement('li'); li.textContent = new Date(n.t).toLocaleTimeString() + ' ' + (n.author ? n.author + ': ' : '') + n.message; return li; }));
    if (s.halt) { var st2 = byId('status'); st2.textContent = 'halted by ' + s.halt.by + ': ' + s.halt.reason; st2.setAttribute('data-state', 'halted'); }
    else if (s.ended) { text('status', 'ended'); byId('status').setAttribute('data-state', 'ended'); }
  }
  var source = new EventSource('/events?token=' + encodeURIComponent(token));
  source.addEventListener('state', function (e) {
    if (!state || !state.halt) { text('status', 'live'); byId('status').setAttribute('data-state', 'live'); }
    render(JSON.parse(e.data));
  });
  source.onerror = function () { if (state && state.ended) source.close(); else if (!state || !state.halt) { text('status', 'connection lost; retrying'); byId('status').setAttribute('data-state', 'lost'); } };
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Faultline-Token': token }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.text().then(function (t) { text('control-result', (r.ok ? '' : 'refused: ') + t); }); })
      .catch(function (err) { text('control-result', 'failed: ' + err); });
  }
  byId('halt').addEventListener('click', function () { post('/halt', { reason: 'Halt pressed on the dashboard' }); });
  byId('continue').addEventListener('click', function () { post('/continue', {}); });
  byId('note-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var t = byId('note-text').value.trim();
    if (!t) return;
    post('/note', { text: t, author: byId('note-author').value.trim() || undefined }).then(function () { byId('note-text').value = ''; });
  });
})();
`;
