// The map of 有事找支部: a pin the resident drops or drags. With MAP_TILE_URL set it lies on those
// tiles (our WGS-84 data shifted onto GCJ-02 tiles when they are 高德/腾讯); without, the base is
// drawn from our own data — the micro-grids around as outlines and the buildings as labelled
// points — so it is never an empty grey box and asks no server for images it does not have.
(function () {
  "use strict";
  const el = document.getElementById("m-map");
  if (!el || !window.L) return;
  const cfg = JSON.parse(document.getElementById("m-map-config").textContent);
  const gcj = Boolean(cfg.tiles) && cfg.crs === "gcj02";

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
  function toShown(lon, lat) {
    if (!gcj || outOfChina(lon, lat)) return [lat, lon];
    const a = 6378245.0, ee = 0.00669342162296594323;
    let dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    const rad = lat / 180 * Math.PI;
    let magic = Math.sin(rad); magic = 1 - ee * magic * magic;
    const sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((a * (1 - ee)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (a / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lon + dLon];
  }

  const start = cfg.center || [113.6253, 34.7466];
  const map = L.map(el, { zoomControl: true, attributionControl: Boolean(cfg.tiles) })
    .setView(toShown(start[0], start[1]), 17);
  if (cfg.tiles) {
    L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: cfg.attribution || "" }).addTo(map);
  } else {
    el.classList.add("m-map-own");
  }
  const base = L.layerGroup().addTo(map);
  let baseAt = null;

  function drawBase(lon, lat) {
    if (cfg.tiles) return;
    if (baseAt && Math.abs(baseAt[0] - lon) < 0.003 && Math.abs(baseAt[1] - lat) < 0.003) return;
    baseAt = [lon, lat];
    fetch(`/m/report/base.json?lon=${lon}&lat=${lat}`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { features: [] }))
      .then((fc) => {
        base.clearLayers();
        for (const f of fc.features) {
          if (f.properties.kind === "grid") {
            L.geoJSON(f, { style: { color: "#8a5a00", weight: 2, fillColor: "#fff4d6", fillOpacity: 0.6 }, interactive: false })
              .bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "m-map-label m-map-grid" })
              .addTo(base);
          } else {
            const [x, y] = f.geometry.coordinates;
            L.circleMarker(toShown(x, y), { radius: 5, color: "#174a8a", weight: 2, fillColor: "#fff", fillOpacity: 1, interactive: false })
              .bindTooltip(f.properties.name.replace(/^.*?(区|路|街)/, ""), { permanent: true, direction: "right", className: "m-map-label" })
              .addTo(base);
          }
        }
      })
      .catch(() => {});
  }

  const pinIcon = L.divIcon({ className: "m-pin", html: "<span></span>", iconSize: [36, 44], iconAnchor: [18, 42] });
  let pin = null;
  const listeners = [];

  // Positions leave this file in the map's own system, marked: the server turns GCJ-02 back.
  function emit(latlng) {
    listeners.forEach((cb) => cb({ lon: latlng.lng, lat: latlng.lat, crs: gcj ? "gcj02" : "wgs84" }));
  }
  function place(latlng, tell) {
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, icon: pinIcon, keyboard: true, title: "图钉", alt: "图钉" }).addTo(map);
      pin.on("dragend", () => emit(pin.getLatLng()));
    } else {
      pin.setLatLng(latlng);
    }
    map.panTo(latlng);
    if (tell) emit(latlng);
  }
  map.on("click", (ev) => place(ev.latlng, true));
  map.on("moveend", () => { const c = map.getCenter(); drawBase(c.lng, c.lat); });
  drawBase(start[0], start[1]);

  window.reportMap = {
    // A WGS-84 position found elsewhere (the phone's location, an address): show it, quietly.
    show(lon, lat) { place(L.latLng(...toShown(lon, lat)), false); drawBase(lon, lat); },
    onPin(cb) { listeners.push(cb); },
    clear() { if (pin) { map.removeLayer(pin); pin = null; } },
  };
})();
