// 城运中心 dashboard: ECharts from the options the server emits, and the unit map coloured by
// open and overdue cases. Read-only; the live counts refresh themselves through htmx.
(function () {
  "use strict";
  const dark = document.body.classList.contains("ops-screen");
  const options = JSON.parse(document.getElementById("ops-charts").textContent);
  const units = JSON.parse(document.getElementById("ops-units").textContent);
  const charts = [];
  [["chart-trend", options.trend], ["chart-categories", options.categories]].forEach(([id, opt]) => {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return;
    const chart = window.echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
    if (dark) {
      // Read from across the room: larger axis and legend text on the big screen.
      opt.backgroundColor = "transparent";
      opt.textStyle = { fontSize: 16 };
      [].concat(opt.xAxis || [], opt.yAxis || []).forEach((ax) => { ax.axisLabel = { fontSize: 15 }; });
      if (opt.legend) opt.legend.textStyle = { fontSize: 15 };
    }
    chart.setOption(opt);
    charts.push(chart);
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

  // Green: nothing overdue; amber: some; red: a fifth or more of the open cases overdue.
  function colour(u) {
    if (!u || !u.overdue) return "#1e8449";
    return u.overdue * 5 >= u.open ? "#c0392b" : "#e67e22";
  }

  const mapEl = document.getElementById("ops-map");
  if (!mapEl || !window.L) return;
  const L = window.L;
  const map = L.map(mapEl, { zoomSnap: 0.25, attributionControl: false });
  const byCode = Object.fromEntries(units.map((u) => [u.code, u]));
  fetch("/api/v1/grids/nodes/" + encodeURIComponent(mapEl.dataset.code), {
    headers: { Accept: "application/json" }, credentials: "same-origin",
  })
    .then((resp) => (resp.ok ? resp.json() : Promise.reject(new Error(String(resp.status)))))
    .then((data) => {
      const layer = L.featureGroup();
      if (data.geometry) {
        L.geoJSON(data.geometry, { style: { color: "#888", weight: 2, fill: false }, interactive: false })
          .addTo(layer);
      }
      data.children.forEach((c) => {
        if (!c.geometry) return;
        const u = byCode[c.code];
        const fill = colour(u);
        const poly = L.geoJSON(c.geometry, {
          style: { color: fill, weight: 1, fillColor: fill, fillOpacity: 0.45, className: "ops-unit" },
        });
        const label = c.name + (u ? "：" + u.open + " / " + u.overdue : "");
        poly.bindTooltip(label, { permanent: data.children.length <= 30, direction: "center", className: "grid-label" });
        poly.addTo(layer);
      });
      layer.addTo(map);
      const bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], animate: false });
      mapEl.dataset.polygons = String(data.children.filter((c) => c.geometry).length);
    })
    .catch(() => { mapEl.dataset.error = "1"; });
})();
