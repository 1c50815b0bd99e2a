// 分拨台: column choice (remembered per user in this browser), row selection, the batch bar,
// keyboard shortcuts and the map of the filtered cases. The page works without it: filters,
// sorting and paging are plain links and a GET form, and the batch bar is a plain POST form.
(function () {
  "use strict";
  var table = document.getElementById("desk-table");
  if (!table) return;
  var userId = JSON.parse(document.getElementById("desk-user").textContent);
  var batch = document.getElementById("desk-batch");
  var action = batch.querySelector("[name=action]");
  var selectAll = document.getElementById("desk-select-all");
  var selected = document.querySelector("#desk-selected strong");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-case]"));
  var current = -1;

  // --- columns ---------------------------------------------------------------------------
  var colKey = "wangge.desk.columns." + userId;
  function hidden() {
    try { return JSON.parse(localStorage.getItem(colKey) || "[]"); } catch (e) { return []; }
  }
  function applyColumns(list) {
    document.querySelectorAll("#desk-columns input[data-col]").forEach(function (box) {
      var col = box.getAttribute("data-col");
      var off = list.indexOf(col) >= 0;
      box.checked = !off;
      table.classList.toggle("hide-" + col, off);
    });
  }
  applyColumns(hidden());
  document.getElementById("desk-columns").addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box.matches("input[data-col]")) return;
    var list = hidden().filter(function (c) { return c !== box.getAttribute("data-col"); });
    if (!box.checked) list.push(box.getAttribute("data-col"));
    localStorage.setItem(colKey, JSON.stringify(list));
    applyColumns(list);
  });

  // --- selection and the batch bar -------------------------------------------------------
  function boxes() { return rows.map(function (r) { return r.querySelector("input[name=ids]"); }); }
  function refresh() {
    var n = boxes().filter(function (b) { return b.checked; }).length;
    selected.textContent = String(n);
    rows.forEach(function (r) { r.classList.toggle("selected", r.querySelector("input[name=ids]").checked); });
    selectAll.checked = n > 0 && n === rows.length;
    selectAll.indeterminate = n > 0 && n < rows.length;
  }
  table.addEventListener("change", function (ev) { if (ev.target.name === "ids") refresh(); });
  selectAll.addEventListener("change", function () {
    boxes().forEach(function (b) { b.checked = selectAll.checked; });
    refresh();
  });
  function showFields() {
    batch.querySelectorAll(".batch-field").forEach(function (f) {
      f.hidden = f.getAttribute("data-for").split(" ").indexOf(action.value) < 0;
    });
  }
  action.addEventListener("change", showFields);
  showFields();
  batch.addEventListener("submit", function (ev) {
    if (!boxes().some(function (b) { return b.checked; })) {
      ev.preventDefault();
      selected.parentNode.classList.add("error");
      selectAll.focus();
    }
  });
  refresh();

  // --- keyboard --------------------------------------------------------------------------
  function move(to) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, to));
    rows.forEach(function (r, i) { r.classList.toggle("current", i === current); });
    rows[current].scrollIntoView({ block: "nearest" });
  }
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) &&
      el.type !== "checkbox";
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape") { if (document.activeElement) document.activeElement.blur(); return; }
    if (typing(document.activeElement)) return;
    var key = ev.key;
    if (key === "j") move(current + 1);
    else if (key === "k") move(current - 1);
    else if (key === "x") {
      if (current < 0) move(0);
      var box = rows[current] && rows[current].querySelector("input[name=ids]");
      if (box) { box.checked = !box.checked; refresh(); }
      if (current < rows.length - 1) move(current + 1);
    } else if (key === "a") {
      selectAll.checked = !selectAll.checked;
      boxes().forEach(function (b) { b.checked = selectAll.checked; });
      refresh();
    } else if (key === "d") {
      action.value = "dispatch";
      showFields();
      batch.querySelector("[name=node]").focus();
    } else if (key === "o" || key === "Enter") {
      if (current >= 0) window.location.href = rows[current].getAttribute("data-url");
      else return;
    } else if (key === "/") {
      var q = document.getElementById("desk-q");
      q.focus();
      q.select();
    } else return;
    ev.preventDefault();
  });

  // --- map -------------------------------------------------------------------------------
  var box = document.getElementById("desk-map-box");
  var mapKey = "wangge.desk.map." + userId;
  var map = null;
  var colours = { "": "#1565c0", yellow: "#f9a825", red: "#c62828" };
  var worse = { "": 0, yellow: 1, red: 2 };
  // A cluster's mark says how many cases it holds, in the colour of the most urgent of them
  // (a red card inside is never hidden under a blue count).
  function clusterIcon(cluster) {
    var card = "";
    cluster.getAllChildMarkers().forEach(function (m) {
      if ((worse[m.options.card] || 0) > worse[card]) card = m.options.card;
    });
    var n = cluster.getChildCount();
    return L.divIcon({
      html: "<div><span>" + n + "</span></div>",
      className: "marker-cluster desk-cluster" + (card ? " desk-cluster-" + card : ""),
      iconSize: L.point(40, 40)
    });
  }
  // Cases are markers in the base's mark pane, above the base's labels, which make room for
  // them; on GCJ-02 tiles they are shifted with everything else (base.toShown). Near ones are
  // clustered (leaflet.markercluster, vendored): a street's hundred cases were one blob of
  // dots, most of them on the same few buildings. The map opens fitted to the cases shown.
  function draw() {
    if (map || !window.L) return;
    var points = JSON.parse(document.getElementById("desk-points").textContent);
    var caseUrl = document.getElementById("desk-map").getAttribute("data-case-url");
    var inferredText = document.getElementById("desk-map").getAttribute("data-inferred");
    // The clusters need the map's deepest zoom; our own base draws to any.
    map = L.map("desk-map", { maxZoom: 19 });
    var base = window.ownBase(map);
    var group = L.markerClusterGroup ? L.markerClusterGroup({
      clusterPane: base.markPane, iconCreateFunction: clusterIcon, maxClusterRadius: 45,
      showCoverageOnHover: false, spiderfyOnMaxZoom: true
    }) : L.featureGroup();
    var bounds = [];
    points.forEach(function (p) {
      var at = base.toShown(p.lon, p.lat);
      // A point read from the case's words (p.p, 由“…”推定): a dashed, hollow ring, so it is
      // never taken for where someone stood or pinned.
      var m = L.circleMarker(at, p.p ? {
        pane: base.markPane, radius: 9, color: colours[p.card] || "#e65100", weight: 3, dashArray: "5 4",
        fillColor: "#ffffff", fillOpacity: 0.35, className: "desk-case desk-case-inferred", card: p.card
      } : {
        pane: base.markPane, radius: 7, color: colours[p.card] || colours[""], weight: 2, fillOpacity: 0.8,
        className: "desk-case", card: p.card
      });
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = caseUrl.replace("/0/", "/" + p.id + "/");
      link.textContent = (p.n || "") + " " + p.t;
      popup.appendChild(link);
      if (p.p) {
        var note = document.createElement("div");
        note.className = "hint place-inferred";
        note.textContent = inferredText.replace("%(phrase)s", p.p);
        popup.appendChild(note);
      }
      m.bindPopup(popup);
      group.addLayer(m);
      bounds.push(at);
    });
    // The view first: the clusters are worked out for the zoom the map opens at.
    fit(bounds, base);
    map.addLayer(group);
    // A cluster's mark is a marker too: no name of the base is laid over it, after every
    // zoom's regrouping as well.
    base.labels.obstacles(function () {
      var container = map.getContainer(), origin = container.getBoundingClientRect(), rects = [];
      container.querySelectorAll(".leaflet-marks-pane > .leaflet-marker-icon").forEach(function (el) {
        var r = el.getBoundingClientRect();
        rects.push({ x: r.left - origin.left - 2, y: r.top - origin.top - 2, w: r.width + 4, h: r.height + 4 });
      });
      return rects;
    });
    group.on("animationend spiderfied unspiderfied", function () { base.labels.refresh(); });
  }
  function fit(bounds, base) {
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    else {
      var centre = JSON.parse(document.getElementById("desk-centre").textContent);
      // The desk's own area, or the tree's centre (the server's choice); no tree, the whole map.
      if (centre) map.setView(base.toShown(centre[0], centre[1]), 15);
      else map.fitWorld();
    }
  }
  box.open = localStorage.getItem(mapKey) === "open";
  if (box.open) draw();
  box.addEventListener("toggle", function () {
    localStorage.setItem(mapKey, box.open ? "open" : "closed");
    if (box.open) { draw(); map.invalidateSize(); }
  });
})();
