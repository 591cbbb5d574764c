/* Hex cartogram geometry shared by the dashboard (app.js) and the election-night page (live.js).
 * Open Innovations HexJSON layouts use odd-r offset coordinates: odd rows are shifted right by
 * half a hexagon; y grows upwards in the layout, downwards in SVG. */
"use strict";

/* One grey, pointy-top SVG hexagon per seat of ``hexes`` ({code: [q, r, ...]}), ``size`` the
 * centre-to-corner distance. Calls ``onCell(code, path, row)`` for each and returns the bounds
 * of the centres, {minX, maxX, minY, maxY}. */
function hexCells(hexes, size, onCell) {
  const w = Math.sqrt(3) * size;
  const box = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  for (const [code, row] of Object.entries(hexes)) {
    const [q, r] = row;
    const x = w * (q + ((r & 1) ? 0.5 : 0)), y = -1.5 * size * r;
    box.minX = Math.min(box.minX, x); box.maxX = Math.max(box.maxX, x);
    box.minY = Math.min(box.minY, y); box.maxY = Math.max(box.maxY, y);
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", `M${x.toFixed(2)},${(y - size).toFixed(2)}l${(w / 2).toFixed(3)},${size / 2}v${size}` +
      `l${(-w / 2).toFixed(3)},${size / 2}l${(-w / 2).toFixed(3)},${-size / 2}v${-size}z`);
    path.setAttribute("class", "hex");
    path.setAttribute("fill", "#dddddd");
    path.dataset.code = code;
    onCell(code, path, row);
  }
  return box;
}
