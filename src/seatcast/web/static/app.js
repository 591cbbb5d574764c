/* seatcast dashboard: hand-written, no build step, no third-party code.
 *
 * Data flow: controls -> state (shares in thousandths of a point, summing to UNIT per area)
 * -> POST /api/project (at most one request in flight; the latest state wins)
 * -> render: hex fills that changed, seat bar, verdict; then, off the critical path,
 * the changes table and the open seat card. The URL query string mirrors the state.
 */
"use strict";

const S = {
  meta: null, party: {}, baseline: "2024", model: "uns",
  shares: { gb: {}, scotland: {}, wales: {} },  // thousandths of a point (sum 100000), incl. "other"
  use: { scotland: false, wales: false },
  touched: false, shade: false, seat: null,
  fromPolls: false,  // "Use poll average": send polls: "latest" (the CLI's --polls latest) until a slider moves
  proj: null, rows: {}, hexmaps: {}, hexEls: {}, names: {}, boundaries: null,
  forecast: null, polls: null, sort: { key: "constituency", dir: 1 },
  inflight: false, pending: false, rev: 0,
  overrides: {},  // ons code -> {party: share}: candidate overrides sent as "seats"
  explainAsked: null,
  linkProblems: [],  // what the page's link asked for and the page could not show (said in the notices)
  ovrError: null,  // {code, message, text}: the seat card's refused override, shown under its input
};
window.seatcast = { rev: 0, renderedAt: 0, state: S };

const $ = (id) => document.getElementById(id);
const AREAS = ["gb", "scotland", "wales"];
const UNIT = 100000;  // 100 points in thousandths
const fmt1 = (x) => (Math.round(x * 10) / 10).toFixed(1);
const pct = (p) => (p >= 0.995 ? ">99" : p < 0.005 ? "<1" : Math.round(p * 100)) + "%";
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const pname = (c) => (S.party[c] ? S.party[c].name : String(c).replace(/_/g, " ").replace(/^./, (x) => x.toUpperCase()));
const pcolour = (c) => (S.party[c] ? S.party[c].colour : "#bbbbbb");
/* A seat row's projected shares, largest first (the JSON keeps them in code order), winner first on a tie. */
const byShare = (row) => Object.entries(row.shares).sort((a, b) => (b[1] - a[1]) || ((b[0] === row.winner) - (a[0] === row.winner)));
/* "Transition (tm)": the name from seatcast.defaults.MODEL_NAMES (via /api/meta) and the CLI's --model code. */
const modelName = (m) => { const n = (S.meta.model_names || {})[m] || m; return `${n[0].toUpperCase()}${n.slice(1)} (${m})`; };
const swatch = (c) => `<span class="sw" style="background:${pcolour(c)}" aria-hidden="true"></span>`;

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  const body = await r.json().catch(() => ({ detail: r.statusText }));
  if (!r.ok) { const e = new Error(body.detail || r.statusText); e.status = r.status; throw e; }
  return body;
}

/* ---------- shares: kept summing to 100.0 ---------- */

function areaParties(area) { return [...S.meta.sliders[area], "other"]; }

function defaults(area) {
  const b = S.meta.baselines.find((x) => x.id === S.baseline);
  const out = {};
  let sum = 0;
  for (const c of S.meta.sliders[area]) { out[c] = Math.round((b.shares[area][c] || 0) * 1000); sum += out[c]; }
  out.other = Math.max(0, UNIT - sum);
  return normalise(out);
}

function normalise(vals) {  // integers summing to exactly UNIT (largest remainder)
  const keys = Object.keys(vals);
  const total = keys.reduce((a, k) => a + Math.max(0, vals[k]), 0) || 1;
  const exact = keys.map((k) => (Math.max(0, vals[k]) * UNIT) / total);
  return apportion(keys, exact, UNIT);
}

function apportion(keys, exact, target) {
  const out = {};
  let sum = 0;
  keys.forEach((k, i) => { out[k] = Math.floor(exact[i] + 1e-9); sum += out[k]; });
  const order = keys.map((k, i) => [exact[i] - out[k], k]).sort((a, b) => b[0] - a[0]);
  for (let i = 0; sum < target && i < order.length; i++, sum++) out[order[i][1]] += 1;
  return out;
}

function setShare(area, code, units) {
  const vals = S.shares[area];
  const v = Math.max(0, Math.min(UNIT, Math.round(units)));
  const rest = Object.keys(vals).filter((k) => k !== code);
  const restSum = rest.reduce((a, k) => a + vals[k], 0);
  const exact = rest.map((k) => (restSum > 0 ? (vals[k] * (UNIT - v)) / restSum : (UNIT - v) / rest.length));
  S.shares[area] = { ...apportion(rest, exact, UNIT - v), [code]: v };
}

function named(area) {
  const out = {};
  for (const c of S.meta.sliders[area]) out[c] = S.shares[area][c] / 1000;
  return out;
}

/* ---------- controls ---------- */

function buildSliders(area) {
  const fs = $("sliders-" + area);
  fs.querySelectorAll(".slider").forEach((n) => n.remove());
  for (const c of areaParties(area)) {
    const row = document.createElement("div");
    row.className = "slider";
    row.dataset.party = c;
    const id = `s-${area}-${c}`;
    const label = c === "other" ? "Others" : pname(c);
    row.innerHTML = `${swatch(c)}<label for="${id}">${esc(label)}</label>
      <input type="range" id="${id}" min="0" max="100" step="0.1" data-area="${area}" data-party="${c}"
${area === "gb" ? ' aria-describedby="sum-gb"' : ""}>
      <input type="number" class="num" min="0" max="100" step="0.1" data-area="${area}" data-party="${c}"
        aria-label="${esc(label)} share, percent (${area === "gb" ? "GB" : area})">`;
    fs.appendChild(row);
  }
}

function syncSliders() {
  for (const area of AREAS) {
    for (const c of areaParties(area)) {
      const v = (S.shares[area][c] / 1000).toFixed(1);
      const fs = $("sliders-" + area);
      for (const el of fs.querySelectorAll(`input[data-party="${c}"]`)) {
        if (el !== document.activeElement || el.type === "range") el.value = v;
      }
    }
  }
  const total = Object.values(S.shares.gb).reduce((x, y) => x + y, 0) / 1000;
  $("sum-gb").textContent = `(total ${total.toFixed(1)})`;
  $("use-scotland").checked = S.use.scotland;
  $("use-wales").checked = S.use.wales;
  $("sliders-scotland").disabled = !S.use.scotland;
  $("sliders-wales").disabled = !S.use.wales;
  if (S.use.scotland) $("details-scotland").open = true;
  if (S.use.wales) $("details-wales").open = true;
}

function onShareInput(ev) {
  const el = ev.target;
  if (!el.dataset || !el.dataset.party) return;
  const v = el.value === "" ? NaN : Number(el.value);  // a number field reads "" for an empty or non-numeric entry
  if (!Number.isFinite(v) || v < 0 || v > 100) {  // typed, not clamped: say so and keep the share
    const label = el.dataset.party === "other" ? "Others" : pname(el.dataset.party);
    $("notices").textContent = `${el.dataset.area}.${el.dataset.party}: ${label} share ` +
      `${el.value === "" ? "is empty or not a number" : el.value + " is outside 0-100"}; give a number from 0 to 100`;
    $("notices").classList.add("error");
    el.setAttribute("aria-invalid", "true");
    el.value = (S.shares[el.dataset.area][el.dataset.party] / 1000).toFixed(1);
    return;
  }
  el.removeAttribute("aria-invalid");
  setShare(el.dataset.area, el.dataset.party, v * 1000);
  S.touched = true;
  S.fromPolls = false;
  syncSliders();
  changed();
}

function wireControls() {
  for (const area of AREAS) {
    const fs = $("sliders-" + area);
    fs.addEventListener("input", (ev) => { if (ev.target.type === "range") onShareInput(ev); });
    fs.addEventListener("change", (ev) => { if (ev.target.type === "number") onShareInput(ev); });
  }
  $("baseline").addEventListener("change", (ev) => setBaseline(ev.target.value));
  $("model").addEventListener("change", (ev) => { S.model = ev.target.value; changed(); });
  for (const area of ["scotland", "wales"]) {
    $("use-" + area).addEventListener("change", (ev) => {
      S.use[area] = ev.target.checked; S.fromPolls = false; syncSliders(); changed();
    });
  }
  $("reset").addEventListener("click", () => {
    resetShares(); S.touched = false; S.fromPolls = false; syncSliders(); changed();
  });
  $("copy-link").addEventListener("click", copyLink);
  $("use-polls").addEventListener("click", usePolls);
  $("shade").addEventListener("change", (ev) => { S.shade = ev.target.checked; paintHexes(); writeURL(); });
  $("csv").addEventListener("click", downloadCSV);
  $("run-forecast").addEventListener("click", () => loadForecast(true));
  $("card-close").addEventListener("click", closeCard);
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && S.seat) closeCard(); });
  $("find").addEventListener("change", onFind);
  $("changes-table").querySelector("thead").addEventListener("click", onSort);
  $("changes-table").querySelector("tbody").addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-code]");
    if (b) openCard(b.dataset.code, true);
  });
}

function resetShares() { for (const a of AREAS) S.shares[a] = defaults(a); }

async function setBaseline(id) {
  S.baseline = id;
  if (!S.touched) resetShares();
  else for (const a of ["scotland", "wales"]) if (!S.use[a]) S.shares[a] = defaults(a);
  syncSliders();
  await ensureMap();
  changed();
  loadTargets();
}

/* ---------- URL state ---------- */

function encodeArea(area) {
  return S.meta.sliders[area].map((c) => `${c}:${+(S.shares[area][c] / 1000).toFixed(3)}`).join(",");
}

function writeURL() {
  const q = [`baseline=${S.baseline}`, `model=${S.model}`, `gb=${encodeArea("gb")}`];
  if (S.use.scotland) q.push(`scotland=${encodeArea("scotland")}`);
  if (S.use.wales) q.push(`wales=${encodeArea("wales")}`);
  if (S.fromPolls) q.push("polls=latest");
  if (S.shade) q.push("shade=1");
  if (S.seat) q.push(`seat=${S.seat}`);
  for (const spec of overrideSpecs()) q.push("cand=" + encodeURIComponent(spec));  // a shared link keeps them
  history.replaceState(null, "", "?" + q.join("&") + location.hash);
}

function parseArea(text, area) {  // a link's "lab:30,con:25"; what it cannot use is said in S.linkProblems
  const vals = defaults(area);
  const allowed = S.meta.sliders[area];
  let sum = 0;
  for (const item of text.split(",")) {
    const [c, v] = item.split(":");
    const x = Number(v);
    if (!allowed.includes(c)) S.linkProblems.push(`${area}: unknown party ${JSON.stringify(c)} ignored (allowed: ${allowed.join(", ")})`);
    else if (!(v || "").trim() || !Number.isFinite(x) || x < 0 || x > 100) S.linkProblems.push(`${area}.${c}: share ${JSON.stringify(v ?? "")} is not a number from 0 to 100; ignored`);
    else vals[c] = Math.round(x * 1000);
  }
  for (const c of allowed) sum += vals[c];
  if (sum > UNIT) S.linkProblems.push(`${area}: shares add up to ${(sum / 1000).toFixed(1)}; scaled to 100`);
  vals.other = Math.max(0, UNIT - sum);
  return normalise(vals);
}

/* A link's value that is not one of the allowed ones: said, not silently replaced. */
function linkChoice(q, key, allowed, fallback) {
  const v = q.get(key);
  if (v === null || allowed.includes(v)) return v === null ? fallback : v;
  S.linkProblems.push(`${key}: unknown value ${JSON.stringify(v)} (allowed: ${allowed.join(", ")}); ${fallback} shown`);
  return fallback;
}

function readURL() {
  const q = new URLSearchParams(location.search);
  S.baseline = linkChoice(q, "baseline", S.meta.baselines.map((b) => b.id), S.meta.defaults.baseline);
  // seatcast.defaults: the same model as the CLI and the API
  S.model = linkChoice(q, "model", S.meta.models, S.meta.defaults.model);
  resetShares();
  for (const area of AREAS) {
    const text = q.get(area);
    if (!text) continue;
    S.shares[area] = parseArea(text, area);
    if (area !== "gb") S.use[area] = true;
    S.touched = true;
  }
  S.fromPolls = q.get("polls") === "latest";
  if (S.fromPolls) S.touched = true;
  S.shade = q.get("shade") === "1";
  const seat = q.get("seat");
  S.seat = seat && /^[A-Z][0-9]{8}$/.test(seat) ? seat : null;
  for (const spec of q.getAll("cand")) {
    const [, code, text] = spec.match(/^([A-Z][0-9]{8}):(.*)$/) || [];
    if (code) S.overrides[code] = parseOverride(text);
    else S.linkProblems.push(`cand: ${JSON.stringify(spec)} is not SEAT:party=share such as E14001305:ind=40; ignored`);
  }
  if (seat && !S.seat) S.linkProblems.push(`seat: ${JSON.stringify(seat)} is not an ONS code such as E14001305; no seat card opened`);
}

async function copyLink() {
  writeURL();
  const btn = $("copy-link");
  try { await navigator.clipboard.writeText(location.href); btn.textContent = "Link copied"; }
  catch { btn.textContent = "Link is in the address bar"; }
  setTimeout(() => { btn.textContent = "Copy link"; }, 1800);
}

/* ---------- projection requests: one in flight, latest wins ---------- */

function body() {
  const b = S.fromPolls ? { polls: "latest", baseline: S.baseline, model: S.model }
    : { gb: named("gb"), baseline: S.baseline, model: S.model };
  if (!S.fromPolls && S.use.scotland) b.scotland = named("scotland");
  if (!S.fromPolls && S.use.wales) b.wales = named("wales");
  if (Object.keys(S.overrides).length) b.seats = S.overrides;
  if (S.seat) b.explain = S.seat;
  return JSON.stringify(b);
}

function changed() {
  writeURL();
  if (S.inflight) { S.pending = true; return; }
  sendProjection();
}

async function sendProjection() {
  S.inflight = true;
  S.pending = false;
  window.seatcast.sentAt = performance.now();
  try {
    const p = await getJSON("/api/project", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: body(),
    });
    renderProjection(p);
    $("notices").classList.remove("error");
  } catch (e) {
    // A rejected candidate override is dropped and the page re-projected without it, so it never
    // sticks. The card's own goes next to the card's input (on a phone the swingometer's notices are
    // a screen away); a link's are said in the notices.
    if (/^seats?[.:]/.test(e.message) && Object.keys(S.overrides).length) {
      if (S.seat && S.overrides[S.seat] && $("ovr-input")) {
        delete S.overrides[S.seat];
        S.ovrError = { code: S.seat, message: e.message.replace(/^seats?\.[^.:]*\.?/, "Candidates: "),
          text: S.ovrTyped };  // what was typed stays in the box, to be corrected
      } else {
        S.overrides = {};
        S.linkProblems.push(`${e.message}; the link's candidate overrides are not applied`);
      }
      S.pending = true;
    } else {
      $("notices").textContent = e.message;
      $("notices").classList.add("error");
    }
  } finally {
    S.inflight = false;
    if (S.pending) sendProjection();
  }
}

function renderProjection(p) {
  S.proj = p;
  const rows = {};
  for (const r of p.seats) rows[r.ons_code] = r;
  S.rows = rows;
  paintHexes();
  renderTotals(p.parliament);
  // What the numbers are: the shares' source (which polls), baseline, model and data version.
  const polls = S.fromPolls && S.polls ? `Poll average as of ${S.polls.as_of} (newest poll ${S.polls.window[1]})`
    : S.fromPolls ? "Poll average (latest)" : "Shares from the sliders";
  $("source").textContent = `${polls} · baseline ${p.baseline} · ${modelName(p.model)} · data ${p.data_version}`;
  S.rev += 1;
  $("map").dataset.rev = String(S.rev);
  window.seatcast.rev = S.rev;
  window.seatcast.renderedAt = performance.now();
  // Problems with the link that opened the page come first, once: the page never silently shows
  // something other than what the link asked for.
  $("notices").textContent = [...S.linkProblems.splice(0), ...p.notices].join(" · ");
  document.dispatchEvent(new CustomEvent("seatcast:rendered", { detail: S.rev }));
  requestAnimationFrame(() => setTimeout(renderLater, 0));  // after the map is painted
}

function renderLater() {
  renderChanges();
  if (S.seat) renderCard();
}

/* ---------- hex map ---------- */

async function ensureMap() {
  const b = S.meta.baselines.find((x) => x.id === S.baseline).boundaries;
  if (S.boundaries === b) return;
  if (!S.hexmaps[b]) S.hexmaps[b] = await getJSON(`/api/hexmap/${b}`);
  const open = S.seat && S.names[S.seat] ? S.names[S.seat].name : null;
  S.boundaries = b;
  drawHexes(S.hexmaps[b]);
  if (open && !S.names[S.seat]) {  // the open card follows its seat to the other boundaries by name
    const same = Object.entries(S.names).find(([, v]) => v.name === open);
    if (same) { S.seat = same[0]; S.hexEls[S.seat].classList.add("selected"); } else closeCard();
  }
}

function drawHexes(hm) {
  const size = 10, g = $("hexes");
  g.textContent = "";
  S.hexEls = {};
  S.names = {};
  const frag = document.createDocumentFragment();
  const names = [];
  const { minX, maxX, minY, maxY } = hexCells(hm.hexes, size, (code, path, [, , name, country]) => {
    frag.appendChild(path);
    S.hexEls[code] = path;
    S.names[code] = { name, country };
    names.push(`<option value="${esc(name)}"></option>`);
  });
  g.appendChild(frag);
  const pad = size * 1.5;
  $("map").setAttribute("viewBox", `${(minX - pad).toFixed(1)} ${(minY - pad).toFixed(1)} ` +
    `${(maxX - minX + 2 * pad).toFixed(1)} ${(maxY - minY + 2 * pad).toFixed(1)}`);
  $("seat-names").innerHTML = names.sort().join("");
}

function hexStyle(code) {
  if (S.shade && S.forecast && S.forecast.seats[code]) {
    const probs = S.forecast.seats[code];
    let best = null, p = 0;
    for (const [c, v] of Object.entries(probs)) if (v > p) { best = c; p = v; }
    return [pcolour(best), (0.25 + 0.75 * p).toFixed(2)];
  }
  const row = S.rows[code];
  return [row ? pcolour(row.winner) : "#dddddd", "1"];
}

function paintHexes() {
  for (const [code, el] of Object.entries(S.hexEls)) {
    const [fill, op] = hexStyle(code);
    if (el._fill !== fill) { el.setAttribute("fill", fill); el._fill = fill; }
    if (el._op !== op) { el.setAttribute("fill-opacity", op); el._op = op; }
    const gain = S.rows[code] && S.rows[code].winner !== S.rows[code].baseline_winner;
    if (el._gain !== gain) { el.classList.toggle("gain", !!gain); el._gain = gain; }
  }
  renderLegend();
}

function renderLegend() {
  const counts = S.proj ? S.proj.parliament.seats : {};
  const items = Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const key = items.map(([c]) => c).join();
  if ($("legend").dataset.key === key + S.shade) return;
  $("legend").dataset.key = key + S.shade;
  const extra = S.shade && S.forecast ? `<li class="muted">Paler hexes: less certain (forecast win probability)</li>` : "";
  $("legend").innerHTML = items.map(([c]) => `<li>${swatch(c)}${esc(pname(c))}</li>`).join("") +
    `<li><span class="sw gain-sw" aria-hidden="true"></span>Outlined: changes hands</li>` + extra;
}

function tooltipHTML(code) {
  const info = S.names[code] || { name: code };
  const row = S.rows[code];
  let html = `<strong>${esc(info.name)}</strong>`;
  if (row) {
    const verb = row.winner === row.baseline_winner ? "hold" : `gain from ${esc(pname(row.baseline_winner))}`;
    html += `<br>${swatch(row.winner)}${esc(pname(row.winner))} ${verb}<br><span class="muted">` +
      byShare(row).map(([c, v]) => `${esc(pname(c))} ${fmt1(v)}`).join(" · ") + "</span>";
  }
  if (S.forecast && S.forecast.seats[code]) {
    const top = Object.entries(S.forecast.seats[code]).sort((a, b) => b[1] - a[1]).slice(0, 2);
    html += `<br><span class="muted">Forecast: ${top.map(([c, p]) => `${esc(pname(c))} ${pct(p)}`).join(", ")}</span>`;
  }
  return html;
}

function wireMap() {
  const svg = $("map"), tip = $("tooltip"), wrap = svg.parentElement;
  svg.addEventListener("mousemove", (ev) => {
    const code = ev.target.dataset && ev.target.dataset.code;
    if (!code) { tip.hidden = true; return; }
    if (tip.dataset.code !== code) { tip.innerHTML = tooltipHTML(code); tip.dataset.code = code; }
    const box = wrap.getBoundingClientRect();
    const x = ev.clientX - box.left, y = ev.clientY - box.top;
    tip.style.left = Math.min(x + 14, box.width - 230) + "px";
    tip.style.top = y + 14 + "px";
    tip.hidden = false;
  });
  svg.addEventListener("mouseleave", () => { tip.hidden = true; tip.dataset.code = ""; });
  svg.addEventListener("click", (ev) => {
    const code = ev.target.dataset && ev.target.dataset.code;
    if (code) openCard(code, true);
  });
}

/* Find a seat: an exact name from the list, else the server's forgiving lookup (`seatcast seat`'s:
 * "islington n", "ynys mon"); no match or several are said next to the box. */
async function onFind(ev) {
  const query = ev.target.value.trim(), msg = $("find-msg");
  msg.textContent = "";
  ev.target.removeAttribute("aria-invalid");
  if (!query) return;
  const hit = Object.entries(S.names).find(([, v]) => v.name.toLowerCase() === query.toLowerCase());
  if (hit) { openCard(hit[0], true); return; }
  try {
    const seat = await getJSON(`/api/seat/${encodeURIComponent(query)}?baseline=${S.baseline}`);
    openCard(seat.ons_code, true);
  } catch (e) {
    msg.textContent = e.message.replace(/^ons_code: /, "");
    ev.target.setAttribute("aria-invalid", "true");
  }
}

/* ---------- seat totals ---------- */

function renderTotals(parl) {
  const total = S.meta.total_seats;
  const items = Object.entries(parl.seats).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  $("verdict").textContent = parl.verdict;
  $("working").textContent = `${S.meta.majority} seats for a majority · working-majority line ` +
    `${parl.working_majority_line} (Speaker and Sinn Féin excluded)`;
  const bar = $("seatbar");
  bar.innerHTML = items.map(([c, n]) => `<span class="seg" style="width:${(100 * n) / total}%;background:${pcolour(c)}"` +
    ` title="${esc(pname(c))}: ${n}">${n >= 30 ? `<b>${n >= 90 ? `<span class="pl">${esc(pname(c))} </span>` : ""}${n}</b>` : ""}</span>`).join("") +
    `<span class="line" style="left:${(100 * S.meta.majority) / total}%"><i>${S.meta.majority}</i></span>`;
  bar.setAttribute("aria-label", "Seat totals: " + items.map(([c, n]) => `${pname(c)} ${n}`).join(", "));
  $("seat-list").innerHTML = items.map(([c, n]) => {
    const d = parl.changes[c] || 0;
    return `<li data-party="${c}">${swatch(c)}<span class="pn">${esc(pname(c))}</span>` +
      `<span class="n">${n}</span><span class="d ${d > 0 ? "up" : d < 0 ? "down" : ""}">${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d)}</span></li>`;
  }).join("");
}

/* ---------- seats changing hands ---------- */

function changeRows() {
  if (!S.proj) return [];
  return S.proj.seats.filter((r) => r.winner !== r.baseline_winner).map((r) => ({
    code: r.ons_code, constituency: (S.names[r.ons_code] || {}).name || r.ons_code,
    country: (S.names[r.ons_code] || {}).country || "", from: r.baseline_winner, to: r.winner,
    swing: r.swing_to_flip,
  }));
}

function sortedChanges() {
  const { key, dir } = S.sort;
  return changeRows().sort((a, b) => {
    const x = key === "from" || key === "to" ? pname(a[key]) : a[key];
    const y = key === "from" || key === "to" ? pname(b[key]) : b[key];
    return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.constituency < b.constituency ? -1 : 1);
  });
}

function renderChanges() {
  const rows = sortedChanges();
  $("changes-n").textContent = `(${rows.length})`;
  const party = (c) => `${swatch(c)}${esc(pname(c))}`;
  $("changes-table").querySelector("tbody").innerHTML = rows.length ? rows.map((r) =>
    `<tr><td><button type="button" class="link" data-code="${r.code}">${esc(r.constituency)}</button></td>` +
    `<td>${esc(r.country)}</td><td>${party(r.from)}</td><td>${party(r.to)}</td><td class="num">${r.swing.toFixed(2)}</td></tr>`,
  ).join("") : `<tr><td colspan="5" class="muted">No seats change hands.</td></tr>`;
}

function onSort(ev) {
  const b = ev.target.closest("button[data-key]");
  if (!b) return;
  const key = b.dataset.key;
  S.sort = { key, dir: S.sort.key === key ? -S.sort.dir : 1 };
  for (const th of $("changes-table").querySelectorAll("th")) th.removeAttribute("aria-sort");
  b.parentElement.setAttribute("aria-sort", S.sort.dir > 0 ? "ascending" : "descending");
  renderChanges();
}

function downloadCSV() {
  const q = (s) => `"${String(s).replace(/"/g, '""')}"`;
  const lines = ["ons_code,constituency,nation,from,to,swing_to_flip"].concat(
    sortedChanges().map((r) => [r.code, q(r.constituency), q(r.country), r.from, r.to, r.swing].join(",")));
  const blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `seatcast-changes-${S.baseline}-${S.model}.csv`;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
}

/* ---------- seat card ---------- */

/* ``reveal``: chosen by the user (a hex, a table row, Find a seat): a card off screen (below the map
 * on a phone or a narrow window) is scrolled into view, else the tap would seem to do nothing. */
async function openCard(code, reveal = false) {
  S.seat = code;
  writeURL();
  $("card").classList.add("open");
  $("card-close").hidden = false;
  $("card-h").textContent = (S.names[code] || { name: code }).name;
  $("card-body").innerHTML = `<p class="muted">Loading…</p>`;
  for (const el of document.querySelectorAll(".hex.selected")) el.classList.remove("selected");
  if (S.hexEls[code]) S.hexEls[code].classList.add("selected");
  await renderCard();
  const top = $("card").getBoundingClientRect().top;
  if (reveal && (top < 0 || top > innerHeight - 80)) $("card").scrollIntoView({ block: "start" });
  $("card-close").focus({ preventScroll: true });
}

function closeCard() {
  S.seat = null;
  emptyCard();
  for (const el of document.querySelectorAll(".hex.selected")) el.classList.remove("selected");
  writeURL();
}

function emptyCard() {
  $("card").classList.remove("open");
  $("card-close").hidden = true;
  $("card-h").textContent = "Seat card";
  $("card-body").innerHTML = `<p class="muted">Click a hexagon, a seat in the table, or type a name in
    <em>Find a seat</em> to see its baseline result, projected shares, the swing needed to flip it and its
    win probabilities.</p>`;
}

function bars(entries, max) {
  return `<ul class="bars">` + entries.map(([c, v, note]) =>
    `<li>${swatch(c)}<span class="pn">${esc(pname(c))}</span><span class="track"><span style="width:${Math.min(100, (100 * v) / max)}%;background:${pcolour(c)}"></span></span>` +
    `<span class="v">${note}</span></li>`).join("") + `</ul>`;
}

async function renderCard() {
  const code = S.seat;
  if (!code) return;
  let seat;
  try {
    // With the overrides, so its win probabilities are those of the forecast the panel shows.
    const seats = overrideQuery();
    seat = await getJSON(`/api/seat/${encodeURIComponent(code)}?baseline=${S.baseline}&model=${S.model}${seats ? "&" + seats : ""}`);
  } catch (e) {
    $("card-body").innerHTML = `<p class="error">${esc(e.message)}</p>`;
    return;
  }
  if (S.seat !== code) return;
  const row = S.rows[code];
  $("card-h").textContent = seat.constituency;
  let html = `<p class="muted">${esc(seat.country)}${seat.region && seat.region !== seat.country ? " · " + esc(seat.region) : ""}` +
    `${seat.electorate ? ` · electorate ${seat.electorate.toLocaleString("en-GB")}` : ""}</p>`;
  if (row) {
    const entries = byShare(row);
    const runner = entries.length > 1 ? entries[1][0] : null;
    const gain = row.winner !== row.baseline_winner;
    html += `<p class="call">${swatch(row.winner)}<strong>${esc(pname(row.winner))} ${gain ? "gain from " + esc(pname(row.baseline_winner)) : "hold"}</strong></p>`;
    html += `<h3>Projected shares (${esc(modelName(S.model))})</h3>` + bars(entries.map(([c, v]) => [c, v, fmt1(v) + "%"]), 70);
    if (runner) html += `<p class="swing">Swing needed to flip: <strong>${row.swing_to_flip.toFixed(1)} points</strong> from ${esc(pname(row.winner))} to ${esc(pname(runner))}.</p>`;
  }
  html += explainHTML(code);
  html += `<h3>${esc(seat.baseline)} result</h3>` +
    bars(seat.result.slice(0, 6).map((r) => [r.party, r.share, `${fmt1(r.share)}% <small>${r.votes.toLocaleString("en-GB")}</small>`]), 70) +
    `<p class="muted">Majority ${seat.majority_votes != null ? seat.majority_votes.toLocaleString("en-GB") + " votes, " : ""}${fmt1(seat.majority_pct)} points over ${esc(pname(seat.runner_up || ""))}.</p>`;
  const probs = (S.forecast && S.forecast.seats[code]) || seat.win_prob;  // the forecast the panel shows
  html += `<h3>Win probability (forecast)</h3>`;
  if (probs) {
    const entries = Object.entries(probs).sort((a, b) => b[1] - a[1]).slice(0, 5);
    html += bars(entries.map(([c, p]) => [c, 100 * p, pct(p)]), 100);
  } else {
    html += `<p class="muted">Run the forecast below to see win probabilities.</p>`;
  }
  $("card-body").innerHTML = html;
  wireOverride(code);
}

/* The card's "why" (Projection.explain) and its candidate override input. */
function explainHTML(code) {
  const ex = S.proj && S.proj.explain;
  if (!ex || ex.ons_code !== code) {
    if (S.explainAsked !== code) { S.explainAsked = code; changed(); }  // re-project with explain
    return "";
  }
  const bad = S.ovrError && S.ovrError.code === code ? S.ovrError.message : null;
  const text = bad ? S.ovrError.text : (S.overrides[code] ? Object.entries(S.overrides[code]) : [])
    .map(([p, v]) => (v > 0 ? `${p}=${v}` : `-${p}`)).join(", ");
  return `<h3>Why</h3><ul class="why">` + ex.summary.map((l) => `<li>${esc(l)}</li>`).join("") + `</ul>` +
    `<form id="ovr-form" class="ovr"><label for="ovr-input">Candidates in this seat</label> ` +
    `<input id="ovr-input" value="${esc(text)}"${bad ? ' aria-invalid="true"' : ""} placeholder="ind=40, -lab" aria-describedby="ovr-help ovr-error"> ` +
    `<button type="submit">Apply</button><p id="ovr-help" class="muted">party=share pins a candidate's share; ` +
    `-party removes the candidate. Empty clears.</p><p id="ovr-error" class="error" role="alert">${bad ? esc(bad) : ""}</p></form>`;
}

function parseOverride(text) {
  const out = {};
  for (const item of text.split(",").map((t) => t.trim()).filter(Boolean)) {
    if (item.startsWith("-")) { out[item.slice(1).trim()] = 0; continue; }
    const [p, v] = item.split("=");
    out[p.trim()] = Number(v);
  }
  return out;
}

function wireOverride(code) {
  const form = $("ovr-form");
  if (!form) return;
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const parsed = parseOverride($("ovr-input").value);
    S.ovrError = null;
    S.ovrTyped = $("ovr-input").value;
    if (Object.keys(parsed).length) S.overrides[code] = parsed; else delete S.overrides[code];
    changed();
  });
}

/* ---------- forecast ---------- */

/* The card's candidate overrides in the CLI's form, "E14001305:ind=40,-lab", one per seat. */
function overrideSpecs() {
  return Object.entries(S.overrides).map(([code, o]) =>
    code + ":" + Object.entries(o).map(([p, v]) => (v > 0 ? `${p}=${v}` : `-${p}`)).join(","));
}

/* ... as the forecast's query, seat=E14001305:ind=40 (repeated). */
function overrideQuery() {
  return overrideSpecs().map((spec) => "seat=" + encodeURIComponent(spec)).join("&");
}

async function loadForecast(user) {
  const status = $("forecast-status");
  $("run-forecast").disabled = true;
  $("forecast").setAttribute("aria-busy", "true");
  status.textContent = "Simulating… (the first run takes a few seconds; later runs are cached)";
  try {
    // The forecast of the swing model chosen above (`seatcast forecast --model M`; the default model
    // gives the same numbers as `seatcast forecast`), with the seat overrides of the seat card.
    const seats = overrideQuery();
    S.forecast = await getJSON(`/api/forecast?model=${S.model}${seats ? "&" + seats : ""}`);
    renderForecast(S.forecast);
    $("shade").disabled = false;
    if (user && !S.shade) { S.shade = true; $("shade").checked = true; writeURL(); }
    paintHexes();
    if (S.seat) renderCard();
  } catch (e) {
    status.textContent = e.status === 503 ? `Forecast not available: ${e.message}` : `Forecast failed: ${e.message}`;
  } finally {
    $("run-forecast").disabled = false;
    $("forecast").removeAttribute("aria-busy");
  }
}

function renderForecast(f) {
  $("forecast-status").textContent = `${f.draws.toLocaleString("en-GB")} simulated elections from the poll average` +
    `${f.as_of ? " as of " + f.as_of : ""}${f.poll_window ? " (newest poll " + f.poll_window[1] + ")" : ""}` +
    ` · baseline ${f.baseline} · model ${modelName(f.model)} · seed ${f.seed} · data ${f.data_version}`;
  $("forecast-notices").textContent = (f.notices || []).join(" · ");
  const total = S.meta.total_seats;
  const probs = Object.entries(f.probabilities).map(([k, v]) =>
    `<li><span class="pn">${esc(f.labels[k] || k)}</span><span class="n">${pct(v)}</span></li>`).join("");
  const rows = f.summary.filter((s) => s.hi >= 1).map((s) =>
    `<tr><th scope="row">${swatch(s.party)}${esc(pname(s.party))}</th><td class="num">${s.median}</td>` +
    `<td class="num">${s.lo}–${s.hi}</td><td class="ivl"><span class="range" style="left:${(100 * s.lo) / total}%;` +
    `width:${Math.max(0.4, (100 * (s.hi - s.lo)) / total)}%;background:${pcolour(s.party)}"></span>` +
    `<span class="med" style="left:${(100 * s.median) / total}%"></span><span class="maj" style="left:${(100 * S.meta.majority) / total}%"></span></td></tr>`).join("");
  const options = f.summary.filter((s) => s.hi >= 1).map((s) => `<option value="${s.party}">${esc(pname(s.party))}</option>`).join("");
  $("forecast-body").innerHTML = `<div><h3>Outcome probabilities</h3><ul class="probs">${probs}</ul></div>` +
    `<div><h3>Seats: median and ${Math.round(100 * f.interval)}% interval</h3><div class="scroll-x"><table class="intervals"><thead><tr><th scope="col">Party</th>` +
    `<th scope="col" class="num">Median</th><th scope="col" class="num">Interval</th><th scope="col">0 – ${total} (line at ${S.meta.majority})</th></tr></thead><tbody>${rows}</tbody></table></div></div>` +
    `<div><h3>Distribution of seats <select id="hist-party" aria-label="Party for the histogram">${options}</select></h3>` +
    `<svg id="hist" class="hist" role="img" aria-label="Histogram of simulated seat totals"></svg></div>`;
  $("hist-party").addEventListener("change", (ev) => drawHistogram(f, ev.target.value));
  drawHistogram(f, f.summary[0].party);
}

function drawHistogram(f, party) {
  const h = f.histograms[party];
  const svg = $("hist");
  if (!h) { svg.innerHTML = ""; return; }
  const W = 520, H = 190, padL = 34, padB = 26;
  const max = Math.max(...h.counts, 1), n = h.counts.length;
  const x = (s) => padL + ((s - h.start) / (h.width * n)) * (W - padL - 8);
  let out = "";
  h.counts.forEach((c, i) => {
    const y = H - padB - ((H - padB - 8) * c) / max;
    out += `<rect x="${x(h.start + i * h.width).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0.5, x(h.start + (i + 1) * h.width) - x(h.start + i * h.width) - 0.5).toFixed(1)}" height="${(H - padB - y).toFixed(1)}" fill="${pcolour(party)}"><title>${h.start + i * h.width}–${h.start + (i + 1) * h.width - 1} seats: ${c} draws</title></rect>`;
  });
  const lo = h.start, hi = h.start + h.width * n;
  const ticks = niceTicks(lo, hi, 6);
  out += ticks.map((t) => `<text x="${x(t).toFixed(1)}" y="${H - 8}" text-anchor="middle">${t}</text>`).join("");
  if (S.meta.majority >= lo && S.meta.majority <= hi) {
    out += `<line class="maj" x1="${x(S.meta.majority)}" x2="${x(S.meta.majority)}" y1="4" y2="${H - padB}"/>` +
      `<text x="${x(S.meta.majority) + 3}" y="14">${S.meta.majority}</text>`;
  }
  out += `<text x="4" y="14" class="muted">draws</text>`;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.innerHTML = out;
  svg.setAttribute("aria-label", `Histogram of simulated ${pname(party)} seat totals`);
}

function niceTicks(lo, hi, n) {
  const span = Math.max(1, hi - lo), raw = span / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(Math.round(t * 100) / 100);
  return out;
}

/* ---------- polls ---------- */

/* A line chart's width and right margin: drawn at the element's own width (a 375 px phone gets
 * legible 11 px text, not a scaled-down chart); end labels ("Restore Britain 3.1") only where there
 * is room for the longest party name: the key under the chart always names every line. */
function chartFrame(svg, codes) {
  const W = Math.max(300, Math.round(svg.clientWidth || 900)), ends = W >= 560;
  return { W, ends, padR: ends ? 8 + 7 * Math.max(...codes.map((c) => pname(c).length + 5)) : 12 };
}

async function loadPolls() {
  try {
    S.polls = await getJSON("/api/polls");
    drawPolls(S.polls);
    $("use-polls").disabled = false;
  } catch (e) {
    $("polls-status").textContent = e.status === 503 ? `Poll tracker not available: ${e.message}` : `Polls failed: ${e.message}`;
  }
}

function drawPolls(P) {
  const svg = $("poll-chart");
  const { W, ends, padR } = chartFrame(svg, P.parties), H = 320, padL = 34, padT = 10, padB = 24;
  const t = P.dates.map((d) => Date.parse(d));
  const t0 = t[0], t1 = t[t.length - 1] || t0 + 1;
  let ymax = 5;
  for (const c of P.parties) for (const v of P.hi[c] || P.average[c]) if (v > ymax) ymax = v;
  for (const p of P.polls || []) for (const c of P.parties) if (p[c] > ymax) ymax = p[c];
  ymax = Math.ceil(ymax / 10) * 10;
  const X = (ms) => padL + ((ms - t0) / Math.max(1, t1 - t0)) * (W - padL - padR);
  const Y = (v) => padT + (1 - v / ymax) * (H - padT - padB);
  let out = "";
  for (let v = 0; v <= ymax; v += 10) out += `<line class="grid" x1="${padL}" x2="${W - padR}" y1="${Y(v)}" y2="${Y(v)}"/><text x="${padL - 6}" y="${Y(v) + 4}" text-anchor="end">${v}</text>`;
  const years = [];
  for (let y = new Date(t0).getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= t1; y++) years.push(y);
  for (const y of years) { const x = X(Date.UTC(y, 0, 1)); out += `<line class="grid" x1="${x}" x2="${x}" y1="${padT}" y2="${H - padB}"/><text x="${x}" y="${H - 6}" text-anchor="middle">${y}</text>`; }
  for (const p of P.polls || []) {
    const x = X(Date.parse(p.date));
    for (const c of P.parties) if (p[c] != null) out += `<circle class="poll" cx="${x.toFixed(1)}" cy="${Y(p[c]).toFixed(1)}" r="1.6" fill="${pcolour(c)}"/>`;
  }
  const labels = [];
  for (const c of P.parties) {
    const avg = P.average[c];
    if (P.lo && P.lo[c] && P.hi && P.hi[c]) {
      const up = t.map((ms, i) => `${X(ms).toFixed(1)},${Y(P.hi[c][i]).toFixed(1)}`);
      const dn = t.map((ms, i) => `${X(ms).toFixed(1)},${Y(P.lo[c][i]).toFixed(1)}`).reverse();
      out += `<polygon class="band" points="${up.concat(dn).join(" ")}" fill="${pcolour(c)}"/>`;
    }
    out += `<polyline class="avg" points="${t.map((ms, i) => `${X(ms).toFixed(1)},${Y(avg[i]).toFixed(1)}`).join(" ")}" stroke="${pcolour(c)}"/>`;
    labels.push([c, avg[avg.length - 1]]);
  }
  labels.sort((a, b) => b[1] - a[1]);
  let lastY = -Infinity;
  for (const [c, v] of labels) {
    const y = Math.max(Y(v) + 4, lastY + 12);
    lastY = y;
    if (ends) out += `<text x="${W - padR + 4}" y="${y.toFixed(1)}" class="lbl">${esc(pname(c))} ${fmt1(v)}</text>`;
  }
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.innerHTML = out;
  svg.setAttribute("aria-label", "Poll average, latest: " + labels.map(([c, v]) => `${pname(c)} ${fmt1(v)}%`).join(", "));
  $("poll-legend").innerHTML = labels.map(([c, v]) => `<li>${swatch(c)}${esc(pname(c))} ${fmt1(v)}%</li>`).join("");
  $("polls-status").textContent = `Poll average to ${P.dates[P.dates.length - 1]}` +
    `${P.window ? " (newest poll " + P.window[1] + ")" : ""}${P.method ? " · " + P.method : ""}` +
    (P.band_label ? ` · shaded: ${P.band_label}` : "");
}

function pollArea(area, shares) {  // scenario percentages -> slider units; the rest is "other"
  const out = {};
  for (const c of S.meta.sliders[area]) out[c] = Math.round((shares[c] || 0) * 1000);
  out.other = Math.max(0, UNIT - Object.values(out).reduce((a, b) => a + b, 0));
  return out;
}

function usePolls() {
  // The scenario `seatcast project --polls latest` uses, sent as polls: "latest" so the server builds it
  // exactly as the CLI does (parties without a slider, independents inside "other"); the sliders show
  // it, and moving one switches back to slider shares.
  const sc = S.polls && S.polls.scenario;
  if (!sc) return;
  S.shares.gb = pollArea("gb", sc.gb);
  for (const [area, nation] of [["scotland", "Scotland"], ["wales", "Wales"]]) {
    S.use[area] = Boolean(sc.nations[nation]);
    S.shares[area] = S.use[area] ? pollArea(area, sc.nations[nation]) : defaults(area);
  }
  S.touched = true;
  S.fromPolls = true;
  syncSliders();
  changed();
}

/* ---------- targets ---------- */

async function loadTargets() {
  const sel = $("target-party");
  if (sel.dataset.baseline !== S.baseline) {  // parties with votes at this baseline (targets need some)
    const standing = S.meta.baselines.find((b) => b.id === S.baseline).standing;
    const offered = S.meta.sliders.gb.filter((c) => standing.includes(c)), keep = sel.value || "lab";
    sel.innerHTML = offered.map((c) => `<option value="${c}">${esc(pname(c))}</option>`).join("");
    sel.value = offered.includes(keep) ? keep : "lab";
    if (!sel.dataset.baseline) sel.addEventListener("change", loadTargets);
    sel.dataset.baseline = S.baseline;
  }
  try {
    const t = await getJSON(`/api/targets?party=${sel.value}&baseline=${S.baseline}&limit=60`);
    const cols = t.columns;
    $("targets-table").querySelector("thead").innerHTML = `<tr>${cols.map((c) => `<th scope="col">${esc(c.label)}</th>`).join("")}</tr>`;
    $("targets-table").querySelector("tbody").innerHTML = t.rows.map((r) => `<tr>${cols.map((c) => {
      const v = r[c.key];
      if (c.kind === "party") return `<td>${swatch(v)}${esc(pname(v))}</td>`;
      if (c.kind === "seat") return `<td><button type="button" class="link" data-code="${esc(r.ons_code)}">${esc(v)}</button></td>`;
      return `<td class="${typeof v === "number" ? "num" : ""}">${typeof v === "number" ? (Number.isInteger(v) ? v : v.toFixed(c.digits ?? 1)) : esc(v ?? "")}</td>`;
    }).join("")}</tr>`).join("");
    $("targets-status").textContent = t.note || "";
  } catch (e) {
    $("targets-table").querySelector("tbody").innerHTML = "";
    $("targets-status").textContent = e.status === 503 ? `Targets not available: ${e.message}` : `Targets failed: ${e.message}`;
  }
}

/* ---------- start ---------- */

async function start() {
  S.meta = await getJSON("/api/meta");
  for (const p of S.meta.parties) S.party[p.code] = p;
  $("baseline").innerHTML = S.meta.baselines.map((b) =>
    `<option value="${b.id}">${b.id === "2019n" ? "2019 notional (2024 seats)" : b.id}</option>`).join("");
  $("model").innerHTML = S.meta.models.map((m) => `<option value="${m}">${modelName(m)}</option>`).join("");
  $("data-version").textContent = `· data ${S.meta.data_version}`;
  for (const a of AREAS) buildSliders(a);
  readURL();
  $("baseline").value = S.baseline;
  $("model").value = S.model;
  $("shade").checked = S.shade;
  wireControls();
  wireMap();
  syncSliders();
  await ensureMap();
  changed();
  if (S.seat) openCard(S.seat); else emptyCard();
  loadPolls();
  loadTargets();
  if (S.shade) loadForecast(false);
  $("targets-table").addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-code]");
    if (b) openCard(b.dataset.code, true);
  });
}

// No inline handlers: the page's Content-Security-Policy allows scripts from /static only.
$("controls").addEventListener("submit", (ev) => ev.preventDefault());
start().catch((e) => { $("verdict").textContent = "Could not start: " + e.message; });
