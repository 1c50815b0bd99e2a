// Case detail: a small map of the place, refused actions brought into view, and the audited
// "call the reporter" button.
(function () {
  "use strict";
  const mapEl = document.getElementById("case-map");
  if (mapEl && window.L) {
    const lon = parseFloat(mapEl.dataset.lon), lat = parseFloat(mapEl.dataset.lat);
    const map = window.L.map(mapEl, { attributionControl: false });
    const base = window.ownBase(map, { tiles: mapEl.dataset.tiles || "", crs: mapEl.dataset.crs || "wgs84" });
    map.setView(base.toShown(lon, lat), 17);
    const inferred = mapEl.dataset.inferred;
    if (inferred) {
      // A point read from words (a crossing's corner): a dashed ring, never the solid dot of a
      // place someone stood at or pinned, so nobody sends a worker to it as if it were exact.
      window.L.circleMarker(base.toShown(lon, lat), {
        pane: base.markPane, radius: 12, color: "#e65100", weight: 3, dashArray: "5 4",
        fillColor: "#ffffff", fillOpacity: 0.35, className: "case-point-inferred",
      }).bindTooltip(inferred, { direction: "top", offset: [0, -12] }).addTo(map);
    } else {
      window.L.circleMarker(base.toShown(lon, lat), { pane: base.markPane, radius: 7, color: "#b71c1c", fillOpacity: 0.8, className: "case-point" }).addTo(map);
    }
    const code = mapEl.dataset.grid;
    if (code) {
      // Staff see the micro-grid's outline; for others the request is refused and the dot stays.
      fetch("/api/v1/grids/nodes/" + encodeURIComponent(code), { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .then((node) => {
          if (node && node.geometry) {
            window.L.geoJSON(node.geometry, { coordsToLatLng: base.coordsToLatLng, style: { color: "#1e8449", weight: 2, fillOpacity: 0.08 } }).addTo(map);
          }
        });
    }
  }
  // A refused action comes back with the page: bring its message and the input it is about
  // into view (the first wrong input also has autofocus, for browsers without this script).
  const actions = document.getElementById("case-actions");
  const wrong = actions && actions.querySelector("[aria-invalid=true], .error");
  if (wrong) {
    wrong.scrollIntoView({ block: "center" });
    (wrong.matches("[aria-invalid=true]") ? wrong : actions.querySelector("[aria-invalid=true]") || wrong).focus({ preventScroll: true });
  }
  const call = document.getElementById("call-reporter");
  if (call) {
    call.addEventListener("click", async () => {
      const token = document.querySelector("input[name=csrfmiddlewaretoken]");
      const resp = await fetch(call.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      });
      const body = await resp.json();
      if (!resp.ok) { call.replaceWith(document.createTextNode(body.detail)); return; }
      document.getElementById("reporter-phone").textContent = body.phone;
      window.location.href = "tel:" + body.phone;
    });
  }
})();
