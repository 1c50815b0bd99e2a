// 有事找支部 on the phone: describe → where (my location, a pin on the map, or an address the
// resolver suggests as one types) → photos (previewed, removable, shrunk here before upload) →
// 提交中 → the confirmation page with the number. Reports made without signal are kept on the
// phone and sent when the connection returns; each carries an id made here, which the server
// uses to make a retried report one case (exactly once, however often it is sent).
(function () {
  "use strict";
  const form = document.getElementById("m-report");
  const status = document.getElementById("m-report-status");
  const queued = document.getElementById("m-queued");
  const submit = document.getElementById("m-submit");
  const where = document.getElementById("m-where");
  const address = document.getElementById("m-address");
  const suggest = document.getElementById("m-suggest");
  const previews = document.getElementById("m-previews");
  const picker = document.getElementById("m-photos");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const text = JSON.parse(document.getElementById("m-text").textContent);
  const DB = "wangge-outbox", STORE = "reports", MAX_PHOTOS = 9;
  let photos = []; // {file, url}

  function db() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function tx(mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const t = d.transaction(STORE, mode);
      const out = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(out && out.result);
      t.onerror = () => reject(t.error);
    });
  }
  const put = (item) => tx("readwrite", (s) => s.put(item));
  const remove = (id) => tx("readwrite", (s) => s.delete(id));
  const all = () => tx("readonly", (s) => s.getAll());

  // Phone photos are 3–8 MB; 1600 px JPEG is plenty for a pothole and uploads on weak signal.
  async function shrink(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
  }

  // --- photos: previews and removal -------------------------------------------------------
  function drawPreviews() {
    previews.replaceChildren(...photos.map((p, i) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = p.url;
      img.alt = text.photo.replace("%(n)s", i + 1);
      const del = document.createElement("button");
      del.type = "button";
      del.className = "btn m-remove";
      del.textContent = "×";
      del.setAttribute("aria-label", `${text.remove}（${i + 1}）`);
      del.addEventListener("click", () => { URL.revokeObjectURL(p.url); photos.splice(i, 1); drawPreviews(); });
      li.append(img, del);
      return li;
    }));
  }
  picker.addEventListener("change", () => {
    for (const file of picker.files) {
      if (photos.length >= MAX_PHOTOS) { status.textContent = text.tooMany; break; }
      photos.push({ file, url: URL.createObjectURL(file) });
    }
    picker.value = "";
    drawPreviews();
  });

  // --- where ------------------------------------------------------------------------------
  function setPosition(lon, lat, crs) {
    form.elements.lon.value = Number(lon).toFixed(7);
    form.elements.lat.value = Number(lat).toFixed(7);
    form.elements.crs.value = crs;
  }
  function sayPlace(place) {
    if (!place.found && !place.building) { where.textContent = text.outside; where.dataset.state = "outside"; return; }
    const parts = [];
    if (place.building) parts.push(`${text.building}：${place.building}`);
    if (place.micro_grid) parts.push(`${text.grid}：${[place.grid, place.micro_grid].filter(Boolean).join(" ")}`);
    where.textContent = parts.join(" · ");
    where.dataset.state = "found";
  }
  async function lookUp(lon, lat, crs) {
    try {
      const r = await fetch(`/m/report/where.json?lon=${lon}&lat=${lat}&crs=${crs}`, { credentials: "same-origin" });
      if (r.ok) sayPlace(await r.json());
    } catch (err) { /* offline: the pin is kept, the server locates it on delivery */ }
  }
  if (window.reportMap) {
    window.reportMap.onPin(({ lon, lat, crs }) => { setPosition(lon, lat, crs); lookUp(lon, lat, crs); });
  }

  let typing = null;
  address.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(async () => {
      const q = address.value.trim();
      if (q.length < 2) { suggest.hidden = true; return; }
      try {
        const r = await fetch(`/m/report/address.json?q=${encodeURIComponent(q)}`, { credentials: "same-origin" });
        if (!r.ok) return;
        const found = await r.json();
        showSuggestions(found);
      } catch (err) { suggest.hidden = true; }
    }, 300);
  });
  function choose(b) {
    address.value = b.address;
    suggest.hidden = true;
    setPosition(b.lon, b.lat, "wgs84");
    if (window.reportMap) window.reportMap.show(b.lon, b.lat);
    sayPlace({ found: Boolean(b.micro_grid), building: b.address, micro_grid: b.micro_grid, grid: b.grid });
  }
  function showSuggestions(found) {
    const rows = found.candidates || [];
    if (!rows.length) { suggest.hidden = true; where.textContent = text.notFound; where.dataset.state = "none"; return; }
    if (found.building) sayPlace({ found: true, building: found.building.address, micro_grid: found.building.micro_grid, grid: found.building.grid });
    suggest.replaceChildren(...rows.map((b) => {
      const li = document.createElement("li");
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "m-suggestion";
      btn.innerHTML = "";
      const strong = document.createElement("span");
      strong.textContent = b.address;
      const grid = document.createElement("small");
      grid.textContent = [b.grid, b.micro_grid].filter(Boolean).join(" ");
      btn.append(strong, grid);
      btn.addEventListener("click", () => choose(b));
      li.append(btn);
      return li;
    }));
    suggest.hidden = false;
  }

  document.getElementById("m-locate").addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition((pos) => {
      const lon = pos.coords.longitude, lat = pos.coords.latitude;
      setPosition(lon, lat, "wgs84");
      document.getElementById("m-located").textContent = text.located;
      if (window.reportMap) window.reportMap.show(lon, lat);
      lookUp(lon, lat, "wgs84");
    }, () => { document.getElementById("m-located").textContent = text.locateFailed; },
    { enableHighAccuracy: true, timeout: 10000 });
  });

  // --- sending ----------------------------------------------------------------------------
  async function send(item) {
    const body = new FormData();
    Object.entries(item.fields).forEach(([k, v]) => body.append(k, v));
    body.append("external_id", item.id);
    item.photos.forEach((blob, i) => body.append("photos", blob, `photo-${i}.jpg`));
    const resp = await fetch("/api/v1/cases", {
      method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrf },
    });
    if (resp.status === 201 || resp.status === 200) return { ok: true, body: await resp.json() };
    if (resp.status >= 400 && resp.status < 500) return { ok: false, final: true, body: await resp.json() };
    throw new Error("server " + resp.status);
  }

  async function showQueue() {
    const items = await all();
    queued.hidden = items.length === 0;
    queued.textContent = items.length ? text.waiting.replace("%(n)s", items.length) : "";
  }

  // Sends what waits in the outbox; returns the case made from `only` when it was among them.
  async function flush(only) {
    let made = null;
    for (const item of await all()) {
      try {
        const result = await send(item);
        await remove(item.id);
        if (result.ok) {
          status.textContent = text.sent.replace("%(n)s", result.body.number);
          status.dataset.state = "sent";
          const link = document.createElement("a");
          link.href = `/m/report/done/${result.body.id}/`;
          link.className = "btn";
          link.textContent = text.view;
          status.append(" ", link);
          if (item.id === only) made = result.body;
        } else {
          status.textContent = result.body.detail || text.failed;
          status.dataset.state = "error";
        }
      } catch (err) {
        break; // still no connection: keep it for the next 'online'
      }
    }
    await showQueue();
    return made;
  }

  function busy(on) {
    submit.disabled = on;
    submit.textContent = on ? text.submitting : text.submit;
    form.setAttribute("aria-busy", on ? "true" : "false");
    if (on) { status.textContent = text.submitting; status.dataset.state = "sending"; }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    if (!String(data.get("description") || "").trim()) {
      status.textContent = text.needDescription;
      status.dataset.state = "error";
      document.getElementById("m-description").focus();
      return;
    }
    busy(true);
    try {
      const blobs = [];
      for (const p of photos) blobs.push(await shrink(p.file));
      const fields = {};
      ["description", "address", "category"].forEach((k) => { if (data.get(k)) fields[k] = data.get(k); });
      fields.public = data.get("public") ? "true" : "false";
      fields.public_anonymous = data.get("public_anonymous") ? "true" : "false";
      if (data.get("lon") && data.get("lat")) {
        fields.location = JSON.stringify({ lon: Number(data.get("lon")), lat: Number(data.get("lat")), crs: data.get("crs") || "wgs84" });
      }
      fields.channel = blobs.length ? "snapshot" : "resident";
      const item = { id: crypto.randomUUID(), fields, photos: blobs, at: Date.now() };
      await put(item);
      if (navigator.onLine) {
        const made = await flush(item.id);
        if (made) { location.assign(`/m/report/done/${made.id}/`); return; }
        if (status.dataset.state === "error") { busy(false); return; }
      }
      // No signal (or it dropped while sending): the report waits on the phone.
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      photos = [];
      drawPreviews();
      form.reset();
      if (window.reportMap) window.reportMap.clear();
      where.textContent = "";
      document.getElementById("m-located").textContent = "";
      status.textContent = text.saved;
      status.dataset.state = "queued";
      form.hidden = true;
      const done = document.getElementById("m-offline-done");
      done.hidden = false;
      done.focus();
      await showQueue();
    } finally {
      busy(false);
      if (status.dataset.state === "sending") status.textContent = "";
    }
  });

  window.addEventListener("online", () => flush(null));
  if (navigator.onLine) flush(null); else showQueue();
})();
