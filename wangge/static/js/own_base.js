// The base under every map of the product. With MAP_TILE_URL set it is those tiles (our WGS-84
// data shifted onto GCJ-02 tiles when they are 高德/腾讯); without — or when the tile server does
// not answer — it is drawn from our own data: the micro-grids, the roads (import_roads) and the
// buildings around the view, from /m/report/base.json. A map is never an empty grey box and
// asks no server for images it does not have.
//
// Names on the map are placed by one labeller per map, never by permanent tooltips: a label is
// drawn only where its box overlaps no label already placed, no marker and no control, again
// after every zoom and move. Priority: the page's own names (base.labels.set("nodes", …)) first,
// then micro-grids, then roads (major ones first), then buildings; within each, nearest the pin
// (or the map's centre) first. Markers sit in panes above the labels: the pin in Leaflet's
// marker pane (600), case and place dots in base.markPane (610); labels are at 450.
//
//   const base = window.ownBase(map, { own: { buildings: false } });  // settings from #map-base
//   L.circleMarker(base.toShown(lon, lat), { pane: base.markPane }).addTo(map);
//   const [lon, lat] = base.fromShown(e.latlng);    // a picked point back to WGS-84
//   base.labels.set("nodes", [{ text, at: latlng, kind: "node" }]);  base.labels.refresh();
(function () {
  "use strict";

  // WGS-84 → GCJ-02 (the published 国测局 offset), for drawing our data over GCJ-02 tiles.
  function outOfChina(lon, lat) { return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function tLat(x, y) {
    let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    return r + (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
  }
  function tLon(x, y) {
    let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    return r + (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
  }
  function gcj02(lon, lat) {
    if (outOfChina(lon, lat)) return [lat, lon];
    const a = 6378245.0, ee = 0.00669342162296594323;
    let dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    const rad = lat / 180 * Math.PI;
    let magic = Math.sin(rad); magic = 1 - ee * magic * magic;
    const sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((a * (1 - ee)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (a / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lon + dLon];
  }

  // The site's settings (wangge.core.context_processors: MAP_BASE), written once per page.
  function siteConfig() {
    const el = document.getElementById("map-base");
    try {
      const value = el ? JSON.parse(el.textContent) : null;
      return value && typeof value === "object" ? value : {};
    } catch (err) { return {}; }
  }

  // --- labels ---------------------------------------------------------------------------------
  // A building's dot and its name share a rank: nearest the focus first, each dot followed by
  // its name, so the buildings by the pin are named before far ones get their dots.
  const RANK = { node: 0, grid: 1, road: 2, dot: 3, building: 3 };
  const GAP = 2; // pixels kept clear around every placed label and marker

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  function labeller(map) {
    const L = window.L;
    if (!map.getPane("baseLabels")) map.createPane("baseLabels").style.zIndex = 450;
    // leaflet-zoom-hide: Leaflet hides it while a zoom animates; the labels come back placed anew.
    const box = L.DomUtil.create("div", "map-labels leaflet-zoom-hide", map.getPane("baseLabels"));
    const groups = new Map();
    const extraObstacles = [];
    let frame = 0;

    function schedule() { if (!frame) frame = requestAnimationFrame(place); }

    function rectOf(el, origin) {
      const r = el.getBoundingClientRect();
      return { x: r.left - origin.left - GAP, y: r.top - origin.top - GAP, w: r.width + 2 * GAP, h: r.height + 2 * GAP };
    }

    // What no label may cover: every marker (the pin, case and place dots), the controls, and
    // whatever the base adds (its building dots).
    function obstacles() {
      const container = map.getContainer();
      const origin = container.getBoundingClientRect();
      const rects = [];
      container.querySelectorAll(
        ".leaflet-marker-pane > .leaflet-marker-icon, .leaflet-marks-pane path, .leaflet-control",
      ).forEach((el) => { const r = rectOf(el, origin); if (r.w > 2 * GAP && r.h > 2 * GAP) rects.push(r); });
      extraObstacles.forEach((fn) => rects.push(...fn()));
      return rects;
    }

    function focus() {
      const pin = map.getContainer().querySelector(".leaflet-marker-pane > .leaflet-marker-icon");
      if (pin) {
        const o = map.getContainer().getBoundingClientRect(), r = pin.getBoundingClientRect();
        return L.point(r.left - o.left + r.width / 2, r.bottom - o.top);
      }
      return map.getSize().divideBy(2);
    }

    function points(item) {
      let at = typeof item.at === "function" ? item.at(map) : item.at;
      if (!Array.isArray(at) || (at.length === 2 && typeof at[0] === "number")) at = [at];
      return at.filter(Boolean).map((ll) => map.latLngToContainerPoint(ll));
    }

    function hide(item) {
      item.placed = false;
      if (item.layer) { if (item.group.hasLayer(item.layer)) item.group.removeLayer(item.layer); }
      else if (item.el && !item.el.hidden) item.el.hidden = true;
    }
    function show(item, spot) {
      item.placed = true;
      if (item.layer) { if (!item.group.hasLayer(item.layer)) item.group.addLayer(item.layer); return; }
      L.DomUtil.setPosition(item.el, map.containerPointToLayerPoint([spot.x, spot.y]));
      item.el.hidden = false;
    }

    function place() {
      frame = 0;
      if (!map._loaded) return;
      const zoom = map.getZoom(), size = map.getSize();
      const wanted = [];
      groups.forEach((items) => items.forEach((it) => {
        if (zoom >= (it.minZoom || 0)) wanted.push(it); else hide(it);
      }));
      // Measured once each, all together: one layout for the lot.
      const fresh = wanted.filter((it) => !it.el && !it.layer);
      fresh.forEach((it) => {
        it.el = L.DomUtil.create("div", "map-label " + (it.cls || ""), box);
        it.el.textContent = it.text;
        it.el.dataset.kind = it.kind || "";
      });
      fresh.forEach((it) => { it.w = Math.ceil(it.el.offsetWidth); it.h = Math.ceil(it.el.offsetHeight); });
      wanted.forEach((it) => { if (it.layer) { it.w = it.size[0]; it.h = it.size[1]; } });
      const taken = obstacles();
      const f = focus();
      wanted.forEach((it) => {
        it.pts = points(it);
        it.d = it.pts.length ? it.pts[0].distanceTo(f) : Infinity;
      });
      wanted.sort((a, b) => (RANK[a.kind] ?? 9) - (RANK[b.kind] ?? 9) || (b.weight || 0) - (a.weight || 0) ||
        a.d - b.d || (a.needs ? 1 : 0) - (b.needs ? 1 : 0) || ((a.text || "") < (b.text || "") ? -1 : 1));
      let shown = 0;
      wanted.forEach((it) => {
        if (it.needs && !it.needs.placed) { hide(it); return; }
        let spot = null;
        for (const p of it.pts) {
          const x = Math.round(it.anchor === "right" ? p.x + 8 : p.x - it.w / 2);
          const y = Math.round(p.y - it.h / 2);
          const r = { x, y, w: it.w, h: it.h };
          if (x < GAP || y < GAP || x + it.w > size.x - GAP || y + it.h > size.y - GAP) continue;
          if (taken.some((t) => overlaps(t, r))) continue;
          spot = r;
          break;
        }
        if (!spot) { hide(it); return; }
        taken.push({ x: spot.x - GAP, y: spot.y - GAP, w: spot.w + 2 * GAP, h: spot.h + 2 * GAP });
        show(it, spot);
        if (!it.layer) shown += 1;
      });
      // For whoever checks the map (and the browser tests): how much of it is named, at what zoom.
      map.getContainer().dataset.labels = String(shown);
      map.getContainer().dataset.zoom = String(zoom);
    }

    map.on("zoomend moveend resize viewreset layeradd layerremove", schedule);
    return {
      // Replaces one group of labels: {text, at (a LatLng, a list tried in order, or a function
      // of the map giving one), kind (node|grid|road|dot|building), minZoom, anchor
      // (center|right), weight (higher first within the kind), cls, needs (another item: placed
      // only if that one is)}. An item with {layer, group, size: [w, h]} instead of text is a
      // mark placed the same way, added to / removed from its layer group.
      set(group, items) {
        (groups.get(group) || []).forEach((it) => { if (it.el) it.el.remove(); if (it.layer) hide(it); });
        groups.set(group, items);
        schedule();
      },
      obstacles(fn) { extraObstacles.push(fn); schedule(); },
      refresh: schedule,
      placeNow: place,
    };
  }

  // Where a polygon's name may go: the middle of what the view shows of it, then its quarters.
  function areaSpots(bounds) {
    return (map) => {
      const view = map.getBounds();
      if (!view.intersects(bounds)) return [];
      const s = Math.max(bounds.getSouth(), view.getSouth()), n = Math.min(bounds.getNorth(), view.getNorth());
      const w = Math.max(bounds.getWest(), view.getWest()), e = Math.min(bounds.getEast(), view.getEast());
      const at = (fx, fy) => window.L.latLng(s + (n - s) * fy, w + (e - w) * fx);
      return [at(0.5, 0.5), at(0.5, 0.3), at(0.5, 0.7), at(0.3, 0.5), at(0.7, 0.5)];
    };
  }

  // Where a road's name may go: points along the part in view, the middle first.
  function lineSpots(parts) {
    return (map) => {
      const size = map.getSize(), step = 70, found = [];
      parts.forEach((latlngs) => {
        const pts = latlngs.map((ll) => map.latLngToContainerPoint(ll));
        let walked = 0, next = step / 2;
        for (let i = 1; i < pts.length; i++) {
          const a = pts[i - 1], b = pts[i], len = a.distanceTo(b);
          for (; next <= walked + len && len > 0; next += step) {
            const p = a.add(b.subtract(a).multiplyBy((next - walked) / len));
            if (p.x > 0 && p.y > 0 && p.x < size.x && p.y < size.y) found.push(p);
          }
          walked += len;
        }
      });
      const mid = (found.length - 1) / 2;
      const order = found.map((p, i) => [Math.abs(i - mid), p]).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
      return order.slice(0, 12).map((p) => map.containerPointToLatLng(p));
    };
  }

  // "中原区伊河路百花里3号楼" → "百花里3号楼": the district and the road are on the map already.
  function shortName(address) {
    return address.replace(/^[^区]*区/, "").replace(/^[^路街]*[路街]/, "") || address;
  }

  // drawZoom: from which zoom a road's line is drawn; minZoom: from which it is named. Below
  // GRID_DRAW_ZOOM the micro-grids' outlines would be a mesh of lines, not a map.
  const ROAD_STYLE = {
    expressway: { weight: 9, drawZoom: 10, minZoom: 12 }, arterial: { weight: 7, drawZoom: 12, minZoom: 13 },
    secondary: { weight: 5, drawZoom: 13, minZoom: 14 }, branch: { weight: 3.5, drawZoom: 15, minZoom: 16 },
    // Not roads: a river in blue without a casing, a railway dashed, a bridge as a small road.
    river: { weight: 6, drawZoom: 12, minZoom: 14, color: "#a9d0f0", casing: null },
    railway: { weight: 2.5, drawZoom: 12, minZoom: 15, color: "#6b6b6b", casing: null, dash: "8 6" },
    bridge: { weight: 4, drawZoom: 15, minZoom: 16 },
  };
  const SNAP = 0.004;
  const GRID_DRAW_ZOOM = 14, GRID_LABEL_ZOOM = 14, BUILDING_DOT_ZOOM = 15;

  window.ownBase = function (map, options) {
    const L = window.L;
    const cfg = Object.assign({}, siteConfig());
    Object.entries(options || {}).forEach(([k, v]) => { if (v !== undefined && v !== "") cfg[k] = v; });
    const own = Object.assign({ grids: true, roads: true, buildings: true }, cfg.own || {});
    const text = cfg.text || {};
    const tiles = cfg.tiles || "";
    const gcj = Boolean(tiles) && cfg.crs === "gcj02";
    const container = map.getContainer();
    // [lat, lon] for Leaflet, on the tiles' datum.
    const toShown = (lon, lat) => (gcj ? gcj02(lon, lat) : [lat, lon]);
    // A point picked on the map back to [lon, lat] in WGS-84, what the server stores. The offset
    // has no closed inverse; a few steps of "move by what the forward shift overshoots" reach
    // well under a centimetre.
    const fromShown = (latlng) => {
      if (!gcj) return [latlng.lng, latlng.lat];
      let lon = latlng.lng, lat = latlng.lat;
      for (let i = 0; i < 5; i++) {
        const [sLat, sLon] = gcj02(lon, lat);
        lon -= sLon - latlng.lng;
        lat -= sLat - latlng.lat;
      }
      return [lon, lat];
    };
    // For L.geoJSON: our GeoJSON (WGS-84) drawn on the tiles' datum.
    const coordsToLatLng = (c) => L.latLng(toShown(c[0], c[1]));

    const pane = (name, z) => { if (!map.getPane(name)) map.createPane(name).style.zIndex = z; return name; };
    const fillPane = pane("baseFill", 330), roadPane = pane("baseRoads", 340), linePane = pane("baseLines", 350);
    const markPane = pane("marks", 610);
    const labels = labeller(map);
    const base = { gcj, toShown, fromShown, coordsToLatLng, labels, markPane, areaSpots, draw() {} };

    function note(words) {
      if (!words) return;
      const ctl = L.control({ position: "bottomleft" });
      ctl.onAdd = () => { const el = L.DomUtil.create("div", "map-note"); el.textContent = words; return el; };
      ctl.addTo(map);
      return ctl;
    }

    // --- our own base ---------------------------------------------------------------------------
    let ownStarted = false;
    function startOwn() {
      if (ownStarted) return;
      ownStarted = true;
      container.classList.add("m-map-own");
      container.dataset.base = "own";
      const grids = L.layerGroup().addTo(map), roads = L.layerGroup().addTo(map), dots = L.layerGroup().addTo(map);
      let fetched = null; // [w, s, e, n] in WGS-84 of the last answer asked for
      let sampleNote = null;
      let drawn = []; // {layer, group, minZoom}: lines drawn only from their zoom on
      function byZoom() {
        const z = map.getZoom();
        drawn.forEach((d) => {
          if (z >= d.minZoom) { if (!d.group.hasLayer(d.layer)) d.group.addLayer(d.layer); }
          else if (d.group.hasLayer(d.layer)) d.group.removeLayer(d.layer);
        });
      }
      map.on("zoomend", byZoom);

      function render(fc) {
        grids.clearLayers(); roads.clearLayers(); dots.clearLayers();
        drawn = [];
        const gridLabels = [], roadLabels = [], buildingLabels = [];
        let sample = false;
        for (const f of fc.features || []) {
          const p = f.properties || {};
          if (p.kind === "grid" && own.grids) {
            const fill = L.geoJSON(f, { pane: fillPane, coordsToLatLng, interactive: false,
              style: { stroke: false, fillColor: "#fff4d6", fillOpacity: 0.6 } });
            const outline = L.geoJSON(f, { pane: linePane, coordsToLatLng, interactive: false,
              style: { color: "#8a5a00", weight: 2, fill: false } });
            drawn.push({ layer: fill, group: grids, minZoom: GRID_DRAW_ZOOM },
              { layer: outline, group: grids, minZoom: GRID_DRAW_ZOOM });
            gridLabels.push({ text: p.name, kind: "grid", minZoom: GRID_LABEL_ZOOM, cls: "m-map-label m-map-grid",
              at: areaSpots(fill.getBounds()) });
          } else if (p.kind === "road" && own.roads) {
            const style = ROAD_STYLE[p.road] || ROAD_STYLE.secondary;
            const coords = f.geometry.type === "LineString" ? [f.geometry.coordinates] : f.geometry.coordinates;
            const parts = coords.map((line) => line.map((c) => L.latLng(toShown(c[0], c[1]))));
            if (style.casing !== null) {
              drawn.push({ layer: L.polyline(parts, { pane: roadPane, interactive: false, color: "#b9ad98", weight: style.weight + 2, className: "map-road-casing" }),
                group: roads, minZoom: style.drawZoom });
            }
            drawn.push({ layer: L.polyline(parts, { pane: roadPane, interactive: false, color: style.color || "#ffffff",
                weight: style.weight, dashArray: style.dash || null, className: `map-road map-${p.road || "road"}` }),
              group: roads, minZoom: style.drawZoom });
            roadLabels.push({ text: p.name, kind: "road", minZoom: style.minZoom, weight: style.weight,
              cls: "m-map-label m-map-road", at: lineSpots(parts) });
            sample = sample || Boolean(p.sample);
          } else if (p.kind === "building" && own.buildings) {
            const [x, y] = f.geometry.coordinates;
            const ll = L.latLng(toShown(x, y));
            // A building's dot only where it stands clear (nearest the pin first), its name only
            // where its dot is: never a heap of dots either.
            const dot = { kind: "dot", minZoom: BUILDING_DOT_ZOOM, size: [10, 10], group: dots, at: ll,
              layer: L.circleMarker(ll, { pane: linePane, radius: 4, color: "#174a8a", weight: 2, fillColor: "#fff",
                fillOpacity: 1, interactive: false }) };
            buildingLabels.push(dot, { text: shortName(p.name), kind: "building", needs: dot,
              minZoom: BUILDING_DOT_ZOOM, anchor: "right", cls: "m-map-label", at: ll });
          }
        }
        byZoom();
        labels.set("grids", gridLabels);
        labels.set("roads", roadLabels);
        labels.set("buildings", buildingLabels);
        if (sample && !sampleNote) sampleNote = note(text.sampleRoads);
      }

      function viewBox(pad) {
        const b = map.getBounds().pad(pad);
        const [w, s] = fromShown(b.getSouthWest()), [e, n] = fromShown(b.getNorthEast());
        return [w, s, e, n];
      }
      function refetch() {
        if (!map._loaded) return;
        const [w, s, e, n] = viewBox(0);
        if (fetched && w >= fetched[0] && s >= fetched[1] && e <= fetched[2] && n <= fetched[3] &&
            (fetched[2] - fetched[0]) < 4 * (e - w)) return;
        // Snapped outwards to a 0.004° (~400 m) lattice: the same area asks the same URL, which
        // the app's service worker kept from last time — the base is there without signal too.
        const [pw, ps, pe, pn] = viewBox(0.5);
        const want = [Math.floor(pw / SNAP) * SNAP, Math.floor(ps / SNAP) * SNAP,
          Math.ceil(pe / SNAP) * SNAP, Math.ceil(pn / SNAP) * SNAP];
        fetched = want;
        fetch("/m/report/base.json?bbox=" + want.map((v) => v.toFixed(3)).join(","), { credentials: "same-origin" })
          .then((r) => (r.ok ? r.json() : { features: [] }))
          .then((fc) => { if (fetched === want) render(fc); })
          .catch(() => { if (fetched === want) fetched = null; });
      }
      map.on("moveend", refetch);
      map.whenReady(refetch);
      base.draw = refetch;
    }

    // --- a tile service -------------------------------------------------------------------------
    if (!tiles) {
      if (map.attributionControl) map.attributionControl.remove();
      startOwn();
      return base;
    }
    container.dataset.base = "tiles-pending";
    const tileOptions = { maxZoom: cfg.maxZoom || 18, attribution: cfg.attribution || "" };
    if (cfg.subdomains && cfg.subdomains.length) tileOptions.subdomains = cfg.subdomains;
    const layer = L.tileLayer(tiles, tileOptions).addTo(map);
    const names = cfg.labels ? L.tileLayer(cfg.labels, Object.assign({}, tileOptions, { attribution: "" })).addTo(map) : null;
    let loaded = 0, failed = 0, timer = 0;
    function fallBack() {
      if (loaded || ownStarted) return;
      clearTimeout(timer);
      map.removeLayer(layer);
      if (names) map.removeLayer(names);
      startOwn();
      note(text.tilesDown);
    }
    layer.on("tileload", () => {
      loaded += 1;
      clearTimeout(timer);
      container.dataset.base = "tiles";
    });
    // A server that refuses answers at once; one that hangs is given cfg.timeout to draw a tile.
    layer.on("tileerror", () => { failed += 1; if (!loaded && failed >= 2) fallBack(); });
    layer.on("loading", () => {
      if (!loaded && !timer) timer = setTimeout(fallBack, cfg.timeout || 4000);
    });
    return base;
  };
})();
