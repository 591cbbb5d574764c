/* Election night page: one EventSource on /api/live/replay; each "projection" event colours the
 * declared seat's hexagon and redraws the projection table. State for tests: window.seatcastLive. */
"use strict";
const NS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const L = { step: 0, done: false, declared: {}, widths: [], colours: {}, names: {}, hexEls: {}, boundaries: null, source: null };
window.seatcastLive = L;

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

async function getJSON(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

async function drawMap(boundaries) {
  if (L.boundaries === boundaries) return;
  const hm = await getJSON(`/api/hexmap/${boundaries}`);
  const g = $("live-hexes");
  g.textContent = "";
  L.hexEls = {};
  const { minX, maxX, minY, maxY } = hexCells(hm.hexes, 10, (code, p, [, , name]) => {
    const t = document.createElementNS(NS, "title");
    t.textContent = name;
    p.appendChild(t);
    g.appendChild(p);
    L.hexEls[code] = p;
  });
  const pad = 15;
  $("live-map").setAttribute("viewBox", `${minX - pad} ${minY - pad} ${maxX - minX + 2 * pad} ${maxY - minY + 2 * pad}`);
  L.boundaries = boundaries;
}

function renderTable(ev) {
  const rows = Object.entries(ev.parties).map(([p, s]) => {
    const c = L.colours[p] || "#999";
    const band = `<div class="bar"><div class="band" style="left:${s.p05 / 6.5}%;width:${Math.max((s.p95 - s.p05) / 6.5, 0.3)}%;background:${c}"></div>` +
      `<div class="mid" style="left:${s.median / 6.5}%;background:${c}"></div><div class="maj" title="326: majority"></div></div>`;
    return `<tr data-party="${esc(p)}"><td>${esc(L.names[p] || p)}</td><td>${s.declared}</td><td class="proj">${s.median}</td>` +
      `<td>${s.p05}–${s.p95}</td><td>${band}</td></tr>`;
  });
  $("live-table").querySelector("tbody").innerHTML = rows.join("");
  const maj = Object.entries(ev.probabilities).filter(([k]) => k.startsWith("majority:")).sort((a, b) => b[1] - a[1]);
  const top = maj.length ? `P(${esc(L.names[maj[0][0].slice(9)] || maj[0][0].slice(9))} majority) ${(100 * maj[0][1]).toFixed(1)}%` : "No majority in any draw";
  $("live-odds").innerHTML = `${top} · P(hung) ${(100 * (ev.probabilities.hung || 0)).toFixed(1)}% · ${ev.called} undeclared seats called (≥ ${Math.round(ev.call_at * 100)}%), ${ev.in_doubt} in doubt`;
  $("live-doubt").innerHTML = ev.seats_in_doubt.map((s) =>
    `<li>${esc(s.constituency)}: ${esc(L.names[s.leader] || s.leader)} ${(100 * s.probability).toFixed(0)}%</li>`).join("");
}

async function onProjection(ev) {
  await drawMap(ev.boundaries);
  if (ev.last) {
    L.declared[ev.last.ons_code] = ev.last.winner;
    const el = L.hexEls[ev.last.ons_code];
    if (el) el.setAttribute("fill", L.colours[ev.last.winner] || "#999");
    $("live-last").textContent = `Last: ${ev.last.constituency}, ${L.names[ev.last.winner] || ev.last.winner}`;
  }
  L.widths.push(Object.values(ev.parties).reduce((a, s) => a + (s.p95 - s.p05), 0));
  $("live-step").textContent = `${ev.step} of 650 seats declared`;
  renderTable(ev);
  L.step = ev.step;
  L.last = ev;
}

function start() {
  if (L.source) L.source.close();
  const params = new URLSearchParams(location.search);
  const q = new URLSearchParams({ election: $("live-election").value, exit_poll: $("live-exit-poll").checked,
    speed: $("live-speed").value || 0 });
  for (const k of ["limit", "draws", "seed"]) if (params.get(k)) q.set(k, params.get(k));
  Object.assign(L, { step: 0, done: false, declared: {}, widths: [] });
  for (const el of Object.values(L.hexEls)) el.setAttribute("fill", "#dddddd");
  $("live-status").textContent = "Replaying…";
  let queue = Promise.resolve();
  const src = new EventSource(`/api/live/replay?${q}`);
  L.source = src;
  src.addEventListener("projection", (e) => { queue = queue.then(() => onProjection(JSON.parse(e.data))); });
  src.addEventListener("done", () => {
    src.close();
    queue.then(() => { L.done = true; $("live-status").textContent = `Done: ${L.step} seats declared.`; });
  });
  src.onerror = () => { if (!L.done) { src.close(); $("live-status").textContent = "The stream stopped (see the server log)."; } };
}

async function init() {
  const meta = await getJSON("/api/meta");
  for (const p of meta.parties) { L.colours[p.code] = p.colour; L.names[p.code] = p.name; }
  const params = new URLSearchParams(location.search);
  if (params.get("election")) $("live-election").value = params.get("election");
  if (params.get("exit_poll") === "true") $("live-exit-poll").checked = true;
  if (params.get("speed")) $("live-speed").value = params.get("speed");
  $("live-start").addEventListener("click", start);
  L.ready = true;
  if (params.get("autostart") === "1") start();
}
init();
