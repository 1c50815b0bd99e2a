// The map of 有事找支部: a pin the resident drops or drags, on the base of js/own_base.js (the
// configured tiles, or our own grids, roads and buildings). The pin is a marker, above every
// label; the labels make room for it wherever it goes.
(function () {
  "use strict";
  const el = document.getElementById("m-map");
  if (!el || !window.L) return;
  const cfg = JSON.parse(document.getElementById("m-map-config").textContent);

  // The resident's own grid or the tree's centre, as the server found it in the data.
  const start = cfg.center;
  const map = L.map(el, { zoomControl: true, attributionControl: Boolean(cfg.tiles) });
  const base = window.ownBase(map, cfg);
  const toShown = base.toShown;
  if (start) map.setView(toShown(start[0], start[1]), 17);
  else map.fitWorld();

  const pinIcon = L.divIcon({ className: "m-pin", html: "<span></span>", iconSize: [36, 44], iconAnchor: [18, 42] });
  // A place read from what the resident typed: the same pin, hollow and dashed, until they
  // confirm it or move it (then it is theirs, and solid).
  const suggestedIcon = L.divIcon({ className: "m-pin m-pin-suggested", html: "<span></span>", iconSize: [36, 44], iconAnchor: [18, 42] });
  let pin = null;
  let suggested = false;
  const listeners = [];

  // Positions leave this file in the map's own system, marked: the server turns GCJ-02 back.
  function emit(latlng) {
    listeners.forEach((cb) => cb({ lon: latlng.lng, lat: latlng.lat, crs: base.gcj ? "gcj02" : "wgs84" }));
  }
  function own() {
    if (suggested && pin) pin.setIcon(pinIcon);
    suggested = false;
  }
  function place(latlng, tell) {
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, icon: pinIcon, keyboard: true, title: "图钉", alt: "图钉" }).addTo(map);
      pin.on("dragend", () => { own(); emit(pin.getLatLng()); });
      pin.on("drag", () => base.labels.refresh());
    } else {
      pin.setLatLng(latlng);
    }
    map.panTo(latlng);
    base.labels.refresh();
    if (tell) { own(); emit(latlng); }
  }
  map.on("click", (ev) => place(ev.latlng, true));

  window.reportMap = {
    // A WGS-84 position found elsewhere (the phone's location, an address): show it, quietly.
    show(lon, lat) { place(L.latLng(...toShown(lon, lat)), false); own(); base.draw(lon, lat); },
    // A position inferred from words (WGS-84): shown as a suggestion, told to no one.
    suggest(lon, lat) {
      place(L.latLng(...toShown(lon, lat)), false);
      suggested = true;
      pin.setIcon(suggestedIcon);
      base.draw(lon, lat);
    },
    // The resident confirmed the suggestion where it stands: it becomes their pin.
    confirm() { own(); },
    // The words no longer name a place: a suggestion nobody confirmed goes.
    withdraw() { if (suggested) this.clear(); },
    onPin(cb) { listeners.push(cb); },
    clear() { suggested = false; if (pin) { map.removeLayer(pin); pin = null; base.labels.refresh(); } },
  };
})();
