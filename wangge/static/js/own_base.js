// The base under every map of the product. With MAP_TILE_URL set it is those tiles (our WGS-84
// data shifted onto GCJ-02 tiles when they are 高德/腾讯); without, it is drawn from our own data
// — the micro-grids around as outlines and the buildings as labelled points, from
// /m/report/base.json around the view — so a map is never an empty grey box and asks no server
// for images it does not have.
//
//   const base = window.ownBase(map, { tiles: "", crs: "wgs84", attribution: "" });
//   L.marker(base.toShown(lon, lat)).addTo(map);   // our positions onto the base
//   const [lon, lat] = base.fromShown(e.latlng);    // a picked point back to WGS-84
//   base.draw(lon, lat);                            // the base around a point, now
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

  window.ownBase = function (map, cfg) {
    const L = window.L;
    const tiles = (cfg && cfg.tiles) || "";
    const gcj = Boolean(tiles) && cfg.crs === "gcj02";
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
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: cfg.attribution || "" }).addTo(map);
      return { gcj, toShown, fromShown, coordsToLatLng, draw() {} };
    }
    map.getContainer().classList.add("m-map-own");
    if (map.attributionControl) map.attributionControl.remove();
    // Its own pane, under the page's markers and outlines whatever order they are drawn in.
    if (!map.getPane("ownBase")) map.createPane("ownBase").style.zIndex = 350;
    const layer = L.layerGroup().addTo(map);
    let drawnAt = null;

    function draw(lon, lat) {
      if (drawnAt && Math.abs(drawnAt[0] - lon) < 0.003 && Math.abs(drawnAt[1] - lat) < 0.003) return;
      drawnAt = [lon, lat];
      fetch(`/m/report/base.json?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { features: [] }))
        .then((fc) => {
          layer.clearLayers();
          for (const f of fc.features) {
            if (f.properties.kind === "grid") {
              L.geoJSON(f, { pane: "ownBase", style: { color: "#8a5a00", weight: 2, fillColor: "#fff4d6", fillOpacity: 0.6 }, interactive: false })
                .bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "m-map-label m-map-grid" })
                .addTo(layer);
            } else {
              const [x, y] = f.geometry.coordinates;
              L.circleMarker(toShown(x, y), { pane: "ownBase", radius: 5, color: "#174a8a", weight: 2, fillColor: "#fff", fillOpacity: 1, interactive: false })
                .bindTooltip(f.properties.name.replace(/^.*?(区|路|街)/, ""), { permanent: true, direction: "right", className: "m-map-label" })
                .addTo(layer);
            }
          }
        })
        .catch(() => {});
    }
    const redraw = () => { const c = map.getCenter(); draw(c.lng, c.lat); };
    map.on("moveend", redraw);
    map.whenReady(redraw);
    return { gcj, toShown, fromShown, coordsToLatLng, draw };
  };
})();
