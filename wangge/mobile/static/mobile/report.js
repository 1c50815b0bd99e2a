// 有事找支部 on the phone: photos shrunk before upload, and reports made without signal kept on
// the phone and sent when the connection returns. Each report carries an id made here, which
// the server uses to make a retried report one case (exactly once, however often it is sent).
(function () {
  "use strict";
  const form = document.getElementById("m-report");
  const status = document.getElementById("m-report-status");
  const queued = document.getElementById("m-queued");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const text = JSON.parse(document.getElementById("m-text").textContent);
  const DB = "wangge-outbox", STORE = "reports";

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

  async function flush() {
    for (const item of await all()) {
      try {
        const result = await send(item);
        await remove(item.id);
        if (result.ok) {
          status.textContent = text.sent.replace("%(n)s", result.body.number);
          status.dataset.state = "sent";
        } else {
          status.textContent = result.body.detail || text.failed;
          status.dataset.state = "error";
        }
      } catch (err) {
        break; // still no connection: keep it for the next 'online'
      }
    }
    await showQueue();
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    if (!String(data.get("description") || "").trim()) {
      status.textContent = text.needDescription;
      status.dataset.state = "error";
      return;
    }
    const photos = [];
    for (const file of form.querySelector("input[type=file]").files) photos.push(await shrink(file));
    const fields = {};
    ["description", "address", "category"].forEach((k) => { if (data.get(k)) fields[k] = data.get(k); });
    fields.public = data.get("public") ? "true" : "false";
    fields.public_anonymous = data.get("public_anonymous") ? "true" : "false";
    if (data.get("lon") && data.get("lat")) {
      fields.location = JSON.stringify({ lon: Number(data.get("lon")), lat: Number(data.get("lat")) });
    }
    fields.channel = photos.length ? "snapshot" : "resident";
    const item = { id: crypto.randomUUID(), fields, photos, at: Date.now() };
    await put(item);
    form.reset();
    document.getElementById("m-located").textContent = "";
    if (navigator.onLine) {
      await flush();
    } else {
      status.textContent = text.saved;
      status.dataset.state = "queued";
      await showQueue();
    }
  });

  document.getElementById("m-locate").addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition((pos) => {
      form.elements.lon.value = pos.coords.longitude.toFixed(7);
      form.elements.lat.value = pos.coords.latitude.toFixed(7);
      document.getElementById("m-located").textContent = text.located;
    }, () => { document.getElementById("m-located").textContent = text.locateFailed; },
    { enableHighAccuracy: true, timeout: 10000 });
  });

  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/m/sw.js", { scope: "/m/" });
  if (navigator.onLine) flush(); else showQueue();
})();
