// 志愿服务 pages: the task's spot on a small map, picking a place for a new task, sorting by
// the phone's position, checking in by position, and the check-in QR turning over each minute.
(function () {
  "use strict";
  const L = window.L;
  // The configured tiles, or the base drawn from our own grids and buildings (js/own_base.js).
  // Positions are WGS-84 on the server; base.toShown/fromShown move them onto GCJ-02 tiles and back.
  const tiles = (el, map) =>
    window.ownBase(map, { tiles: el.dataset.tiles || "", crs: el.dataset.crs || "wgs84" });

  const spot = document.getElementById("task-map");
  if (spot && L) {
    const lon = parseFloat(spot.dataset.lon), lat = parseFloat(spot.dataset.lat);
    const map = L.map(spot, { attributionControl: false });
    const base = tiles(spot, map);
    const here = base.toShown(lon, lat);
    map.setView(here, 17);
    const outline = document.getElementById("task-grid");
    const grid = outline ? JSON.parse(outline.textContent) : null;
    if (grid) {
      const layer = L.geoJSON(grid, {
        coordsToLatLng: base.coordsToLatLng,
        style: { color: "#1e8449", weight: 2, fillOpacity: 0.08 },
      }).addTo(map);
      map.fitBounds(layer.getBounds().extend(here), { padding: [12, 12], maxZoom: 18 });
    }
    L.circleMarker(here, { pane: base.markPane, radius: 8, color: "#b71c1c", fillOpacity: 0.8 }).addTo(map);
  }

  const picker = document.getElementById("pick-map");
  if (picker && L) {
    const form = picker.closest("form");
    const lonInput = form.querySelector("input[name=lon]"), latInput = form.querySelector("input[name=lat]");
    // The server always gives the place or the grid tree's own centre; with no grid imported at
    // all there is nowhere to start but the whole map, and no marker until one is picked.
    const lon = parseFloat(picker.dataset.lon), lat = parseFloat(picker.dataset.lat);
    const known = !Number.isNaN(lon) && !Number.isNaN(lat);
    const map = L.map(picker, { attributionControl: false });
    const base = tiles(picker, map);
    if (known) map.setView(base.toShown(lon, lat), 16);
    else map.fitWorld();
    const marker = L.circleMarker(known ? base.toShown(lon, lat) : [0, 0], { pane: base.markPane, radius: 8, color: "#b71c1c", fillOpacity: 0.8 });
    if (known) marker.addTo(map);
    map.on("click", (e) => {
      marker.setLatLng(e.latlng).addTo(map);
      base.labels.refresh();
      const [pickedLon, pickedLat] = base.fromShown(e.latlng);
      lonInput.value = pickedLon.toFixed(6);
      latInput.value = pickedLat.toFixed(6);
    });
  }

  const near = document.getElementById("sort-near");
  if (near && navigator.geolocation) {
    near.addEventListener("click", () => {
      navigator.geolocation.getCurrentPosition((pos) => {
        const q = new URLSearchParams({ lon: pos.coords.longitude.toFixed(6), lat: pos.coords.latitude.toFixed(6) });
        if (near.dataset.kind) q.set("kind", near.dataset.kind);
        window.location.search = q.toString();
      });
    });
  }

  const locate = document.getElementById("locate-button");
  if (locate) {
    locate.addEventListener("click", () => {
      const form = locate.closest("form");
      if (!navigator.geolocation) { locate.textContent = locate.dataset.fail; return; }
      locate.disabled = true;
      locate.textContent = locate.dataset.wait;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          form.querySelector("input[name=lon]").value = pos.coords.longitude;
          form.querySelector("input[name=lat]").value = pos.coords.latitude;
          form.querySelector("input[name=t]").value = "";  // the position is the proof
          form.submit();
        },
        () => { locate.disabled = false; locate.textContent = locate.dataset.fail; },
        { enableHighAccuracy: true, timeout: 15000 },
      );
    });
  }

  const qr = document.getElementById("qr");
  if (qr) {
    const refresh = () => {
      fetch(qr.dataset.refresh, { credentials: "same-origin", cache: "no-store" })
        .then((r) => (r.ok ? r.text() : null))
        .then((html) => { if (html) qr.innerHTML = html; schedule(); })
        .catch(schedule);
    };
    const schedule = () => {
      const box = document.getElementById("qr-code");
      const left = box ? parseInt(box.dataset.left, 10) || 60 : 60;
      window.setTimeout(refresh, (left + 1) * 1000);
    };
    schedule();
  }
})();
