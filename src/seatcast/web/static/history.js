/* Forecast history panel: seat medians with 50% and 90% bands, week by week (GET /api/history).
   Uses the helpers of app.js ($, esc, pname, pcolour, swatch, getJSON, pct). */
"use strict";

async function loadHistory() {
  const status = $("history-status");
  for (let i = 0; i < 300 && !S.meta; i++) await new Promise((r) => setTimeout(r, 100));  // party names, colours
  try {
    const H = await getJSON("/api/history");
    if (!H.weeks) { status.textContent = "No forecast history yet: run `seatcast history` (it is kept in the poll store)."; return; }
    drawHistory(H);
  } catch (e) {
    status.textContent = `Forecast history failed: ${e.message}`;
  }
}

function drawHistory(H) {
  const svg = $("history-chart");
  const HT = 300, padL = 34, padT = 10, padB = 24;
  const dates = [...new Set(H.rows.map((r) => r.as_of))].sort();
  const t = dates.map((d) => Date.parse(d)), t0 = t[0], t1 = t[t.length - 1] || t0 + 1;
  const last = H.rows.filter((r) => r.as_of === dates[dates.length - 1]).sort((a, b) => b.median - a.median).slice(0, 6);
  const { W, ends, padR } = chartFrame(svg, last.map((p) => p.party));
  const shown = new Set(last.map((p) => p.party));
  const top = Math.max(350, Math.ceil(Math.max(...H.rows.filter((r) => shown.has(r.party)).map((r) => r.p95)) / 100) * 100);
  const X = (ms) => padL + ((ms - t0) / Math.max(1, t1 - t0)) * (W - padL - padR);
  const Y = (v) => padT + (1 - v / top) * (HT - padT - padB);
  let out = "";
  for (let v = 0; v <= top; v += 100) out += `<line class="grid" x1="${padL}" x2="${W - padR}" y1="${Y(v)}" y2="${Y(v)}"/><text x="${padL - 6}" y="${Y(v) + 4}" text-anchor="end">${v}</text>`;
  out += `<line class="maj" x1="${padL}" x2="${W - padR}" y1="${Y(326)}" y2="${Y(326)}"/>`;
  for (const p of last) {
    const rows = dates.map((d) => H.rows.find((r) => r.as_of === d && r.party === p.party));
    const pts = (k) => rows.map((r, i) => (r ? `${X(t[i]).toFixed(1)},${Y(r[k]).toFixed(1)}` : null)).filter(Boolean);
    for (const [lo, hi, cls] of [["p05", "p95", "band90"], ["p25", "p75", "band50"]])
      out += `<polygon class="${cls}" points="${pts(hi).concat(pts(lo).reverse()).join(" ")}" fill="${pcolour(p.party)}"/>`;
    out += `<polyline class="avg" points="${pts("median").join(" ")}" stroke="${pcolour(p.party)}"/>`;
    if (ends) out += `<text x="${W - padR + 4}" y="${Y(p.median) + 4}" class="lbl">${esc(pname(p.party))} ${Math.round(p.median)}</text>`;
  }
  svg.setAttribute("viewBox", `0 0 ${W} ${HT}`);
  svg.innerHTML = out;
  svg.setAttribute("aria-label", "Forecast seats over time, latest medians: " + last.map((p) => `${pname(p.party)} ${Math.round(p.median)}`).join(", "));
  const newest = H.rows.find((r) => r.as_of === dates[dates.length - 1]).newest_poll;
  $("history-status").textContent = `${dates.length} weekly forecasts (${H.model}, ${H.params.draws.toLocaleString("en-GB")} draws each) ` +
    `from ${dates[0]} to ${dates[dates.length - 1]}; newest poll ${newest} · shaded: 50% and 90% bands · dashed: 326 for a majority`;
  $("history-legend").innerHTML = last.map((p) => `<li>${swatch(p.party)}${esc(pname(p.party))} ${Math.round(p.median)} ` +
    `(majority ${pct(p.p_majority)})</li>`).join("");
}

window.addEventListener("load", loadHistory);
