// The residents' outbox: reports made without signal wait here (IndexedDB, on the phone) and are
// delivered from whatever page of the app is open when the connection returns, or by the service
// worker's Background Sync where the browser has it. Runs in a page and in the service worker
// (no DOM here). Each report carries an id made on the phone, which the server uses to make every
// delivery of it one case, so a page and the worker sending it at once still make one.
(function (scope) {
  "use strict";
  const DB = "wangge-outbox", REPORTS = "reports", DELIVERED = "delivered";
  const SYNC_TAG = "wangge-reports";
  // A refusal that sending again cannot change (the report itself is wrong): it leaves the
  // outbox with its reason. Anything else (no answer, signed out, a refused token, busy) waits.
  const FINAL = [400, 409, 413, 415, 422];
  // Photos on weak signal are slow; a request with no answer after this is tried again later.
  const TIMEOUT_MS = 60000;

  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 2);
      req.onupgradeneeded = () => {
        const d = req.result;
        if (!d.objectStoreNames.contains(REPORTS)) d.createObjectStore(REPORTS, { keyPath: "id" });
        if (!d.objectStoreNames.contains(DELIVERED)) d.createObjectStore(DELIVERED, { keyPath: "id" });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function tx(store, mode, fn) {
    const d = await open();
    return new Promise((resolve, reject) => {
      const t = d.transaction(store, mode);
      const out = fn(t.objectStore(store));
      t.oncomplete = () => { d.close(); resolve(out && out.result); };
      t.onerror = () => { d.close(); reject(t.error); };
    });
  }
  const put = (item) => tx(REPORTS, "readwrite", (s) => s.put(item));
  const all = () => tx(REPORTS, "readonly", (s) => s.getAll());
  const remove = (id) => tx(REPORTS, "readwrite", (s) => s.delete(id));

  // One sender at a time across the tabs and the worker.
  function exclusive(fn) {
    if (scope.navigator && scope.navigator.locks) return scope.navigator.locks.request("wangge-outbox", fn);
    return fn();
  }

  async function send(item, csrf) {
    const body = new FormData();
    Object.entries(item.fields).forEach(([k, v]) => body.append(k, v));
    body.append("external_id", item.id);
    item.photos.forEach((blob, i) => body.append("photos", blob, `photo-${i}.jpg`));
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const resp = await fetch("/api/v1/cases", {
        method: "POST", body, credentials: "same-origin", signal: abort.signal,
        headers: { "X-CSRFToken": csrf || item.csrf || "" },
      });
      if (resp.status === 201 || resp.status === 200) return { ok: true, body: await resp.json() };
      if (FINAL.includes(resp.status)) {
        let detail = "";
        try { detail = (await resp.json()).detail || ""; } catch (err) { /* not JSON */ }
        return { ok: false, detail };
      }
      throw new Error("not delivered: " + resp.status);
    } finally {
      clearTimeout(timer);
    }
  }

  // Sends what waits. `quiet` is the id of a report whose page shows its own confirmation;
  // every other outcome is kept for the next page to show. Returns {id: outcome} of this run.
  function flush({ csrf = "", quiet = "" } = {}) {
    return exclusive(async () => {
      const outcomes = {};
      for (const item of await all()) {
        let result;
        try {
          result = await send(item, csrf);
        } catch (err) {
          break; // still no connection: the rest wait too
        }
        await remove(item.id);
        outcomes[item.id] = result;
        if (item.id !== quiet) {
          await tx(DELIVERED, "readwrite", (s) => s.put({ id: item.id, at: Date.now(), ...result }));
        }
      }
      return outcomes;
    });
  }

  // What was delivered (or refused) since a page last showed it; shown once.
  function takeDelivered() {
    return tx(DELIVERED, "readwrite", (s) => {
      const req = s.getAll();
      req.onsuccess = () => s.clear();
      return req;
    });
  }

  // Ask the worker to deliver when the connection returns, even with no page of the app open.
  async function askForSync() {
    try {
      const reg = await scope.navigator.serviceWorker.ready;
      if (reg.sync) await reg.sync.register(SYNC_TAG);
    } catch (err) { /* no Background Sync: the next page of the app delivers it */ }
  }

  scope.wanggeOutbox = { put, all, flush, takeDelivered, askForSync, SYNC_TAG };
})(self);
