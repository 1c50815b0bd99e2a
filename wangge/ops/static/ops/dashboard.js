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

  // Heat of new cases, drawn here rather than by a plugin: the server bins the cases into cells
  // of about 200 m ([lat, lon, count]); each cell is a blurred spot whose weight is its count
  // over the largest, accumulated in the alpha channel and then coloured yellow → red.
  const palette = (() => {
    const c = document.createElement("canvas");
    c.width = 1; c.height = 256;
    const g = c.getContext("2d");
    const grad = g.createLinearGradient(0, 0, 0, 256);
    grad.addColorStop(0.2, "#fff176"); grad.addColorStop(0.5, "#ffb300");
    grad.addColorStop(0.8, "#ff5722"); grad.addColorStop(1, "#b71c1c");
    g.fillStyle = grad; g.fillRect(0, 0, 1, 256);
    return g.getImageData(0, 0, 1, 256).data;
  })();
  const HeatLayer = L.Layer.extend({
    initialize(points) { this.points = points; },
    onAdd(m) {
      this.canvas = L.DomUtil.create("canvas", "ops-heat-layer leaflet-zoom-hide");
      this.canvas.style.pointerEvents = "none";
      m.getPanes().overlayPane.appendChild(this.canvas);
      m.on("moveend zoomend resize", this.draw, this);
      this.draw();
    },
    onRemove(m) {
      L.DomUtil.remove(this.canvas);
      m.off("moveend zoomend resize", this.draw, this);
    },
    draw() {
      const m = this._map, size = m.getSize(), canvas = this.canvas;
      L.DomUtil.setPosition(canvas, m.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x; canvas.height = size.y;
      if (!size.x || !size.y) return;
      const ctx = canvas.getContext("2d");
      const max = Math.max(...this.points.map((p) => p[2]));
      // About 250 m across at the map's scale, never smaller than a finger's width.
      const centre = m.getCenter();
      const metresPerPixel = 40075016.686 * Math.abs(Math.cos(centre.lat * Math.PI / 180))
        / Math.pow(2, m.getZoom() + 8);
      const r = Math.max(14, 250 / metresPerPixel);
      this.points.forEach(([lat, lon, n]) => {
        const pt = m.latLngToContainerPoint([lat, lon]);
        const grad = ctx.createRadialGradient(pt.x, pt.y, 0, pt.x, pt.y, r);
        grad.addColorStop(0, "rgba(0,0,0," + (0.35 + 0.65 * n / max) + ")");
        grad.addColorStop(1, "rgba(0,0,0,0)");
        ctx.fillStyle = grad;
        ctx.fillRect(pt.x - r, pt.y - r, 2 * r, 2 * r);
      });
      const img = ctx.getImageData(0, 0, size.x, size.y), px = img.data;
      for (let i = 3; i < px.length; i += 4) {
        const a = px[i];
        if (!a) continue;
        px[i - 3] = palette[a * 4]; px[i - 2] = palette[a * 4 + 1]; px[i - 1] = palette[a * 4 + 2];
        px[i] = Math.min(230, a + 40);
      }
      ctx.putImageData(img, 0, 0);
    },
  });
  const map = L.map(mapEl, { zoomSnap: 0.25, attributionControl: false });
  const heatEl = document.getElementById("ops-heat");
  const heat = heatEl ? JSON.parse(heatEl.textContent) : [];
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
      if (heat.length) {
        new HeatLayer(heat).addTo(map);
        mapEl.dataset.heat = String(heat.length);
      }
      mapEl.dataset.polygons = String(data.children.filter((c) => c.geometry).length);
    })
    .catch(() => { mapEl.dataset.error = "1"; });

  // 鹰眼: the cameras of the viewer's grids as a layer, by unit type, coloured by state.
  const camBox = document.getElementById("ops-cameras");
  if (camBox) {
    const controls = document.getElementById("ops-camera-controls");
    const unitSel = document.getElementById("ops-camera-unit");
    const count = document.getElementById("ops-camera-count");
    const words = controls.dataset;
    let camLayer = null;
    const stateOf = (p) => (p.hold ? "hold" : p.online ? "online" : "offline");
    const colours = { online: "#2e7d32", offline: "#757575", hold: "#e65100" };
    const popup = (p) => {
      const box = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = p.name + "（" + p.camera_type + " · " + p.unit_label + "）";
      const state = document.createElement("div");
      state.textContent = p.hold || (p.online ? words.online : words.offline);
      box.append(title, state);
      if (p.live) {
        const link = document.createElement("a");
        link.href = p.url;
        link.textContent = words.watch;
        box.append(link);
      }
      return box;
    };
    const load = () => {
      if (camLayer) { map.removeLayer(camLayer); camLayer = null; }
      if (!camBox.checked) { count.textContent = ""; delete mapEl.dataset.cameras; return; }
      fetch("/api/v1/video/cameras.geojson?unit=" + encodeURIComponent(unitSel.value), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      })
        .then((resp) => (resp.ok ? resp.json() : Promise.reject(new Error(String(resp.status)))))
        .then((data) => {
          camLayer = L.geoJSON(data, {
            pointToLayer: (f, at) => L.circleMarker(at, {
              radius: 6, weight: 2, color: "#fff", fillColor: colours[stateOf(f.properties)],
              fillOpacity: 1, className: "ops-camera ops-camera-" + stateOf(f.properties),
            }),
            onEachFeature: (f, layer) => layer.bindPopup(popup(f.properties)),
          }).addTo(map);
          count.textContent = words.count.replace("%(n)s", String(data.features.length));
          mapEl.dataset.cameras = String(data.features.length);
        })
        .catch(() => { count.textContent = words.failed; });
    };
    camBox.addEventListener("change", load);
    unitSel.addEventListener("change", load);
  }
})();
