// The grid map: one node at a time, its children drawn as polygons; click to drill down. The
// base under them is js/own_base.js (the configured tiles, or the district's roads); the
// children's names are the first the labeller places, each only where it fits.
(function () {
  "use strict";
  const L = window.L;
  const labels = JSON.parse(document.getElementById("labels").textContent);
  const colours = {
    street: "#c0392b", community: "#d35400", grid: "#2471a3", micro: "#1e8449", exclusive: "#7d3c98",
  };
  const mapEl = document.getElementById("map");
  const map = L.map(mapEl, { zoomSnap: 0.25 });
  // The grids are this page's own polygons; the base adds the roads (and nothing else of ours).
  const base = window.ownBase(map, { own: { grids: false, buildings: false } });
  let layer = L.featureGroup().addTo(map);

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderPanel(data) {
    document.getElementById("node-name").textContent = data.name;
    document.getElementById("node-level").textContent = data.level_label;
    document.getElementById("node-code").textContent = data.code;
    document.getElementById("node-sample").hidden = !data.is_sample;
    document.getElementById("sample-note").hidden = !data.is_sample;
    document.title = data.name + document.title.slice(document.title.indexOf(" · "));

    const crumbs = document.getElementById("breadcrumbs");
    crumbs.replaceChildren();
    data.path.forEach((n, i) => {
      if (i) crumbs.append(el("span", { class: "sep" }, "›"));
      crumbs.append(el("a", { href: "/grids/map/" + n.code + "/", "data-code": n.code }, n.name));
    });

    const counts = document.getElementById("node-counts");
    counts.replaceChildren();
    Object.entries(data.counts).forEach(([level, n]) => {
      if (!n) return;
      const li = el("li", { "data-level": level });
      li.append(el("span", { class: "count" }, String(n)), document.createTextNode(" " + (labels[level] || level)));
      counts.append(li);
    });

    const staff = document.getElementById("node-staff");
    staff.replaceChildren();
    if (!data.staff.length) staff.append(el("li", { class: "muted" }, labels.none));
    data.staff.forEach((s) => {
      const li = el("li", {}, s.role + "：" + s.name + " ");
      li.append(el("span", { class: "muted" }, s.phone));
      staff.append(li);
    });

    const list = document.getElementById("node-children");
    list.replaceChildren();
    if (!data.children.length) list.append(el("li", { class: "muted" }, labels.noChildren));
    data.children.forEach((c) => {
      const li = el("li");
      const a = el("a", { href: "/grids/map/" + c.code + "/", "data-code": c.code }, c.name);
      li.append(a, el("span", { class: "muted" }, " " + (labels[c.level] || c.level) +
        (c.buildings ? " · " + c.buildings + " " + labels.buildings : "")));
      list.append(li);
    });
  }

  function renderMap(data) {
    map.removeLayer(layer);
    layer = L.featureGroup();
    if (data.geometry) {
      L.geoJSON(data.geometry, {
        coordsToLatLng: base.coordsToLatLng,
        style: { color: "#555", weight: 2, fill: false, dashArray: "4 4", className: "grid-outline" },
        interactive: false,
      }).addTo(layer);
    }
    const names = [];
    data.children.forEach((c) => {
      if (!c.geometry) return;
      const colour = colours[c.level] || "#555";
      const poly = L.geoJSON(c.geometry, {
        coordsToLatLng: base.coordsToLatLng,
        style: {
          color: colour, weight: c.level === "exclusive" ? 2 : 1, fillColor: colour,
          fillOpacity: c.level === "exclusive" ? 0.35 : 0.18,
          dashArray: c.level === "exclusive" ? "6 3" : null,
          className: "grid-polygon level-" + c.level,
        },
      });
      // Every name on hover; on the map only those that fit.
      poly.bindTooltip(c.name, { sticky: true });
      names.push({ text: c.name, kind: "node", cls: "grid-label", at: base.areaSpots(poly.getBounds()) });
      poly.on("click", () => go(c.code, true));
      poly.addTo(layer);
    });
    base.labels.set("nodes", names);
    layer.addTo(map);
    const bounds = layer.getBounds();
    // No animation: a person drilling down wants the new level at once, not a zoom flight.
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], animate: false });
    else if (data.centroid) map.setView(base.toShown(data.centroid[0], data.centroid[1]), 17, { animate: false });
    mapEl.dataset.code = data.code;
    mapEl.dataset.polygons = String(data.children.filter((c) => c.geometry).length);
  }

  async function go(code, push) {
    mapEl.setAttribute("aria-busy", "true");
    try {
      const resp = await fetch("/api/v1/grids/nodes/" + encodeURIComponent(code), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      const data = await resp.json();
      if (!resp.ok) throw new Error(data.detail || labels.loadFailed);
      renderPanel(data);
      renderMap(data);
      if (push) history.pushState({ code }, "", "/grids/map/" + code + "/");
    } catch (err) {
      const panel = document.getElementById("side-panel");
      const msg = el("p", { class: "error", role: "alert" }, err.message || labels.loadFailed);
      panel.prepend(msg);
    } finally {
      mapEl.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-code]");
    if (!a || ev.metaKey || ev.ctrlKey) return;
    ev.preventDefault();
    go(a.dataset.code, true);
  });
  window.addEventListener("popstate", (ev) => {
    const code = (ev.state && ev.state.code) || JSON.parse(document.getElementById("initial-code").textContent);
    go(code, false);
  });
  go(JSON.parse(document.getElementById("initial-code").textContent), false);
})();
