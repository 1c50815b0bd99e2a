// The 10-minute circle's map: each 党群服务 place with its ring, the buildings outside every
// ring in red (their size by the households in them). Drawn on the product's own base. Where the
// walk is measured along the roads a ring would say the wrong thing (a building inside it may be
// far on foot), so the places stand without one and each red building tells its walk.
(function () {
  "use strict";
  const el = document.getElementById("circle-map");
  const dataEl = document.getElementById("circle-data");
  if (!el || !dataEl || !window.L) return;
  const data = JSON.parse(dataEl.textContent);
  const map = window.L.map(el, { attributionControl: false });
  const base = window.ownBase(map, { tiles: el.dataset.tiles || "", crs: el.dataset.crs || "wgs84" });
  const bounds = [];
  data.places.forEach((p) => {
    const at = base.toShown(p.lon, p.lat);
    if (!data.by_road) {
      window.L.circle(at, { radius: data.metres, color: "#1e8449", weight: 1, fillOpacity: 0.06, interactive: false }).addTo(map);
    }
    window.L.circleMarker(at, { pane: base.markPane, radius: 7, color: "#1e8449", fillOpacity: 0.9 })
      .bindTooltip(p.name).addTo(map);
  });
  data.gaps.forEach((g) => {
    const at = base.toShown(g.lon, g.lat);
    bounds.push(at);
    window.L.circleMarker(at, { pane: base.markPane, radius: Math.min(4 + g.n, 10), color: "#b71c1c", fillOpacity: 0.8 })
      .bindTooltip(g.address + " · " + g.n + (g.away ? " · " + g.away : "")).addTo(map);
  });
  if (!bounds.length) data.places.forEach((p) => bounds.push(base.toShown(p.lon, p.lat)));
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
  else if (data.centre) map.setView(base.toShown(data.centre[0], data.centre[1]), 15);
})();
