"""The web page served at ``/``: one self-contained document (no external assets, no CDN).

Type an integrand or an ODE (plain ``x^2 sin(x)``, SymPy syntax or LaTeX), see the verified answer
as mathematics (MathML from the server), its verdict and the engine that found it, the check
(d/dx of the answer = the integrand), every ranked candidate with its verdict, and the session's
history; copy the answer as LaTeX or SymPy.  ``/?q=...`` (and ``&ode=1``, ``&from=0&to=1``, ``&assume=a<0``, ``&ics=y(0)=1``) solves on load.
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>symseq</title>
<style>
 body{font:16px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2430}
 h1{font-size:1.5rem;margin:0 0 .2rem} .sub{color:#5b6678;margin:0 0 1.2rem}
 form{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
 #q{flex:1 1 24rem;font:1.05rem ui-monospace,monospace;padding:.55rem .7rem;border:1px solid #b8c2d0;border-radius:.4rem}
 .small{width:6rem;font:1rem ui-monospace,monospace;padding:.5rem;border:1px solid #b8c2d0;border-radius:.4rem}
 button,select{font:inherit;padding:.5rem .9rem;border-radius:.4rem;border:1px solid #b8c2d0;background:#fff;cursor:pointer}
 button.go{background:#2456c8;color:#fff;border-color:#2456c8} button:disabled{opacity:.6}
 .card{border:1px solid #d9dfe8;border-radius:.6rem;padding:1rem 1.2rem;margin:1rem 0;background:#fbfcfe}
 .verdict{display:inline-block;padding:.1rem .55rem;border-radius:1rem;font-size:.85rem;background:#e4e9f2}
 .proved{background:#d5f2dc;color:#145c2a} .numeric_only{background:#fdf1cf;color:#6b4d00}
 .wrong,.invalid,.particular{background:#fbdcdc;color:#7a1c1c} .local,.implicit{background:#e8def8;color:#4a2a7a}
 math{font-size:1.25rem} table{border-collapse:collapse;width:100%;font-size:.9rem}
 td,th{border-bottom:1px solid #e3e7ee;padding:.3rem .4rem;text-align:left;vertical-align:top}
 td.a{font-family:ui-monospace,monospace;word-break:break-all} .muted{color:#6b7689;font-size:.9rem}
 #history li{cursor:pointer;font-family:ui-monospace,monospace} .err{color:#a01818}
</style></head>
<body>
<h1>symseq</h1>
<p class="sub">Integrals and ODEs: a neural model raced against computer algebra. Every answer shown is verified.</p>
<form id="f">
 <input id="q" name="q" autocomplete="off" placeholder="x*cos(x)   or   y'' + y = x   or   \\frac{1}{1+x^2}" required>
 <select id="kind"><option value="integrate">integrate</option><option value="solve-ode">ODE</option></select>
 <input id="lower" class="small" placeholder="from" title="definite integral: lower bound (-oo allowed)">
 <input id="upper" class="small" placeholder="to" title="definite integral: upper bound (oo allowed)">
 <input id="assume" class="small" placeholder="assume" title="what the parameters are: a < 0, n integer (default: > 0)">
 <input id="ics" class="small" placeholder="y(0) = 1" title="ODE: initial conditions, e.g. y(0) = 1, y'(0) = 0">
 <select id="mode"><option>hybrid</option><option>model</option><option>engines</option><option>sympy</option></select>
 <button class="go" id="go" type="submit">Solve</button>
</form>
<div id="out"></div>
<div class="card"><b>History</b> <span class="muted">(this session; click to solve again)</span><ul id="history"></ul></div>
<script>
const $ = id => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
function history() { try { return JSON.parse(sessionStorage.getItem("symseq-history") || "[]"); } catch (e) { return []; } }
function showHistory() {
  const ul = $("history"); ul.replaceChildren();
  for (const h of history()) {
    const li = el("li", (h.kind === "solve-ode" ? "ODE: " : "\\u222b ") + h.q + "  \\u2192  " + (h.answer || "no verified answer"));
    li.onclick = () => { $("q").value = h.q; $("kind").value = h.kind; solve(); };
    ul.appendChild(li);
  }
}
function remember(q, kind, answer) {
  const h = history().filter(x => !(x.q === q && x.kind === kind));
  h.unshift({q, kind, answer}); sessionStorage.setItem("symseq-history", JSON.stringify(h.slice(0, 30)));
  showHistory();
}
function copyButton(label, text) {
  const b = el("button", label); b.type = "button";
  b.onclick = () => navigator.clipboard.writeText(text).then(() => { b.textContent = "copied"; setTimeout(() => b.textContent = label, 1200); });
  return b;
}
function request(q, kind) {
  const req = {question: q, mode: $("mode").value, render: true};
  if (kind === "integrate") {
    if ($("lower").value.trim() || $("upper").value.trim()) { req.lower = $("lower").value.trim(); req.upper = $("upper").value.trim(); }
    if ($("assume").value.trim()) req.assume = $("assume").value.trim();
  } else if ($("ics").value.trim()) req.ics = $("ics").value.trim();
  return req;
}
function showIVP(card, body) {
  const head = el("p");
  if (body.answer) head.appendChild(el("span", "verified", "verdict proved"));
  else if (body.implicit) head.appendChild(el("span", "implicit", "verdict implicit"));
  else head.appendChild(el("span", "no verified answer", "verdict wrong"));
  head.appendChild(el("span", "  " + body.conditions.join(", ") + " in " + body.seconds.toFixed(2) + " s", "muted"));
  card.appendChild(head);
  if (!body.answer && body.implicit) {
    const ans = el("div"); ans.id = "answer"; ans.appendChild(el("code", body.implicit)); card.appendChild(ans);
    card.appendChild(el("p", "y given implicitly: the curve through the condition of a verified implicit solution", "local"));
  }
  (body.answers || []).forEach((a, i) => {
    const ans = el("div"); ans.id = i ? "answer" + i : "answer"; ans.appendChild(el("code", a)); card.appendChild(ans);
    const where = (body.valid_on || [])[i];
    card.appendChild(el("p", (where ? "valid for " + where + "; " : "") + "from " + (body.from || [])[i] + "; every condition holds exactly", where ? "local" : "muted"));
  });
  for (const n of body.notes || []) card.appendChild(el("p", "note: " + n, "muted"));
  remember(body.question, "solve-ode", body.answer || (body.implicit ? body.implicit + " (implicit)" : null));
}
function showDefinite(card, body) {
  const q = body.quadrature || {};
  const head = el("p");
  if (body.value) head.appendChild(el("span", "verified value", "verdict proved"));
  else if (body.divergent) head.appendChild(el("span", "diverges (to " + body.divergent + ")", "verdict proved"));
  else head.appendChild(el("span", "no verified exact value", "verdict wrong"));
  head.appendChild(el("span", "  " + (body.method || "") + " in " + body.seconds.toFixed(2) + " s", "muted"));
  card.appendChild(head);
  if (body.value) { const ans = el("div"); ans.id = "answer"; ans.appendChild(el("code", body.value)); card.appendChild(ans); }
  if (body.value && body.assumptions) card.appendChild(el("p", "for " + body.assumptions + "; agrees with quadrature at " + (body.draws || []).length + " draws of the parameters", "local"));
  if (q.value) card.appendChild(el("p", "quadrature: " + q.value + " (error " + q.error.toExponential(1) + (body.value ? ", agrees within " + q.tolerance.toExponential(1) : "") + ")", "muted"));
  if (body.proposal) card.appendChild(el("p", "numeric (20 digits), not proved: " + body.proposal, "local"));
  for (const n of body.notes || []) card.appendChild(el("p", "note: " + n, "muted"));
  remember(body.question, "integrate", body.value);
}
async function solve() {
  const q = $("q").value.trim(), kind = $("kind").value, out = $("out");
  if (!q) return;
  $("go").disabled = true; out.replaceChildren(el("p", "solving\\u2026", "muted"));
  let r, body;
  try {
    r = await fetch("/" + kind, {method: "POST", headers: {"Content-Type": "application/json"},
                                  body: JSON.stringify(request(q, kind))});
    body = await r.json();
  } catch (e) { body = {error: "the server did not answer: " + e}; r = {ok: false}; }
  $("go").disabled = false;
  const card = el("div", undefined, "card"); card.id = "result"; out.replaceChildren(card);
  if (!r.ok) { card.appendChild(el("p", body.error || "error", "err")); return; }
  if ("quadrature" in body) { showDefinite(card, body); return; }
  if ("conditions" in body) { showIVP(card, body); return; }
  const rd = body.render || {};
  if (rd.question_mathml) { const d = el("div"); d.innerHTML = rd.question_mathml; card.appendChild(d); }
  else card.appendChild(el("p", body.question, "a"));
  const head = el("p");
  if (body.answer) {
    head.appendChild(el("span", body.verdict, "verdict " + body.verdict));
    head.appendChild(el("span", "  found by " + body.engine + (body.rank ? " (beam rank " + body.rank + ")" : "") + " in " + body.seconds.toFixed(2) + " s", "muted"));
    card.appendChild(head);
    const ans = el("div"); ans.id = "answer";
    if (rd.answer_mathml) ans.innerHTML = rd.answer_mathml; else ans.appendChild(el("code", body.answer));
    card.appendChild(ans);
    if (body.valid_on) card.appendChild(el("p", "valid for " + body.valid_on + " (verified there only)", "local"));
    if (body.assumptions) card.appendChild(el("p", "for " + body.assumptions, "local"));
    if (rd.check_mathml) { const c = el("div"); c.className = "muted"; c.appendChild(el("span", "check: ")); const m = el("span"); m.innerHTML = rd.check_mathml; c.appendChild(m); card.appendChild(c); }
    const bar = el("p"); bar.appendChild(copyButton("copy LaTeX", rd.answer_latex || body.answer)); bar.appendChild(document.createTextNode(" ")); bar.appendChild(copyButton("copy SymPy", body.answer));
    card.appendChild(bar);
  } else if (body.implicit) {
    head.appendChild(el("span", "implicit", "verdict implicit"));
    head.appendChild(el("span", "  found by " + body.engine + " in " + body.seconds.toFixed(2) + " s", "muted"));
    card.appendChild(head);
    const ans = el("div"); ans.id = "answer"; ans.appendChild(el("code", body.implicit)); card.appendChild(ans);
    card.appendChild(el("p", "y given implicitly: every curve of this family solves the equation where it is real and can be solved for y", "local"));
  } else {
    head.appendChild(el("span", "no verified answer", "verdict wrong")); head.appendChild(el("span", "  (" + body.seconds.toFixed(2) + " s)", "muted"));
    card.appendChild(head);
  }
  if (body.candidates && body.candidates.length) {
    const t = el("table"); const tr = el("tr"); for (const h of ["from", "verdict", "candidate", "s"]) tr.appendChild(el("th", h)); t.appendChild(tr);
    for (const c of body.candidates) {
      const row = el("tr"); row.appendChild(el("td", c.engine + (c.rank ? " #" + c.rank : "")));
      const v = el("td"); v.appendChild(el("span", c.verdict, "verdict " + c.verdict)); row.appendChild(v);
      row.appendChild(el("td", c.answer, "a")); row.appendChild(el("td", String(c.seconds))); t.appendChild(row);
    }
    card.appendChild(el("p", "candidates", "muted")); card.appendChild(t);
  }
  for (const n of body.notes || []) card.appendChild(el("p", "note: " + n, "muted"));
  remember(q, kind, body.answer || (body.implicit ? body.implicit + " (implicit)" : null));
}
$("f").addEventListener("submit", e => { e.preventDefault(); solve(); });
showHistory();
const params = new URLSearchParams(location.search);
for (const [key, id] of [["from", "lower"], ["to", "upper"], ["assume", "assume"], ["ics", "ics"]]) if (params.get(key)) $(id).value = params.get(key);
if (params.get("q")) { $("q").value = params.get("q"); if (params.get("ode")) $("kind").value = "solve-ode"; solve(); }
</script>
</body></html>
"""
