// The residents' outbox: reports made without signal wait here (IndexedDB, on the phone) and are
// delivered from whatever page of the app is open when the connection returns, or by the service
// worker's Background Sync where the browser has it. Runs in a page and in the service worker
// (no DOM here). Each report carries an id made on the phone, which the server uses to make every
// delivery of it one case, so a page and the worker sending it at once still make one, and a
// report whose answer was lost on the way can be sent again without filing it twice.
(function (scope) {
  "use strict";
  const DB = "wangge-outbox", REPORTS = "reports", DELIVERED = "delivered";
  const SYNC_TAG = "wangge-reports";
  // A refusal that sending again cannot change (the report itself is wrong): it leaves the
  // outbox with its reason. Anything else (no answer, signed out, a refused token, busy) waits.
  const FINAL = [400, 409, 413, 415, 422];
  // A request with no answer in this time is given up and the report waits for the next try.
  // Photos on weak signal are slow to go up (1600 px JPEGs, a few hundred KB each), so each adds
  // to the limit. The resident is not kept waiting this long: the report page offers 稍后自动发送
  // and 取消 after a few seconds (report.js).
  const TIMEOUT_MS = 30000, PER_PHOTO_MS = 15000;

  // Why a report is still waiting, as the page tells the resident: never "no network" while the
  // phone has one. offline: the phone has no connection; timeout: no answer in time; no-reply:
  // the connection broke before an answer came (the server may have filed it: the retry with the
  // same id gets that case); server: the server answered that it cannot take it now;
  // signin: the resident must sign in again.
  const online = () => !scope.navigator || scope.navigator.onLine !== false;

  // Sends going out from this page (or worker), and the reports the resident took back.
  const inFlight = new Map(); // id → AbortController
  const cancelled = new Set();

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
  // A report put again (the form sent again after 取消, with the same id) may go again.
  const put = (item) => { cancelled.delete(item.id); return tx(REPORTS, "readwrite", (s) => s.put(item)); };
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
    inFlight.set(item.id, abort);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; abort.abort(); }, TIMEOUT_MS + PER_PHOTO_MS * item.photos.length);
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
      if (resp.status === 401 || resp.status === 403) return { ok: false, wait: true, why: "signin", status: resp.status };
      return { ok: false, wait: true, why: "server", status: resp.status };
    } catch (err) {
      if (cancelled.has(item.id)) return { ok: false, cancelled: true };
      if (timedOut) return { ok: false, wait: true, why: "timeout" };
      return { ok: false, wait: true, why: online() ? "no-reply" : "offline" };
    } finally {
      clearTimeout(timer);
      inFlight.delete(item.id);
    }
  }

  // The resident took a report back (取消) before it was answered: it leaves the outbox and a
  // send of it from here is stopped. A send already at the server may still file it; the page
  // keeps the id for the form, so sending the form again answers with that case, not a second.
  async function cancel(id) {
    cancelled.add(id);
    const sending = inFlight.get(id);
    if (sending) sending.abort();
    await remove(id);
  }

  // Sends what waits. `quiet` is the id of a report whose page shows its own outcome: the result
  // for it is always in what this returns (sent, refused, cancelled, or why it still waits), and
  // it is not kept for the next page. Every other outcome is kept for the next page to show.
  // Returns {id: outcome} of this run.
  function flush({ csrf = "", quiet = "" } = {}) {
    return exclusive(async () => {
      const outcomes = {};
      const items = await all();
      let blocked = null;
      for (const item of items) {
        if (cancelled.has(item.id)) { outcomes[item.id] = { ok: false, cancelled: true }; continue; }
        const result = await send(item, csrf);
        if (result.cancelled) { await remove(item.id); outcomes[item.id] = result; continue; }
        if (result.wait) { outcomes[item.id] = result; blocked = result; break; } // the rest wait too
        await remove(item.id);
        outcomes[item.id] = result;
        if (item.id !== quiet) {
          await tx(DELIVERED, "readwrite", (s) => s.put({ id: item.id, at: Date.now(), ...result }));
        }
      }
      if (quiet && !outcomes[quiet]) {
        if (items.some((i) => i.id === quiet)) {
          // Behind a report that could not go: waits for the same reason.
          outcomes[quiet] = { ok: false, wait: true, why: blocked ? blocked.why : "no-reply" };
        } else {
          // Not here any more: taken back, or another page or the worker delivered it meanwhile
          // (what became of it is then shown by the frame, from what was delivered).
          const done = await tx(DELIVERED, "readonly", (s) => s.get(quiet));
          if (done) await tx(DELIVERED, "readwrite", (s) => s.delete(quiet));
          outcomes[quiet] = done || (cancelled.has(quiet) ? { ok: false, cancelled: true } : { ok: false, gone: true });
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

  scope.wanggeOutbox = { put, all, flush, cancel, takeDelivered, askForSync, SYNC_TAG };
})(self);
