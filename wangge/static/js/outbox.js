// The staff outbox: field work done without signal (patrol track points and findings, visits,
// hazard checklists, case actions) is kept on the phone in IndexedDB and sent when the network
// returns. Every item carries a key made here (a UUID), sent as Idempotency-Key: the server
// writes it once and answers a repeat with its first answer, so an item whose answer was lost
// on the way can be sent again safely. Track points leave the phone's buffer only after the
// server has acknowledged them; a batch keeps its key until then, so a retry is the same batch.
// Refusals (the case was closed or transferred meanwhile) stay in the list as 未成功 with the
// server's reason: nothing is dropped without the worker seeing it.
// A bound form always goes through here, with signal or without: the phone may say it is online
// in a lift or a basement where nothing gets through, and a page posted there loses what was
// typed to the browser's error page. Sent with a time limit, an item nobody answered stays.
(function () {
  "use strict";
  const configEl = document.getElementById("outbox-config");
  if (!configEl || !window.indexedDB) return;
  const cfg = JSON.parse(configEl.textContent);
  const T = cfg.text;
  const DB = "wangge-staff-outbox";
  const ITEMS = "items", TRACK = "track";
  const KEEP_SENT_MS = 24 * 3600 * 1000, KEEP_SENT_MAX = 20;
  const RETRY_MS = 30000, TRACK_EVERY_MS = 15000, BATCH = 500;
  // A send with no answer in this time is given up and kept; the server may have written it,
  // so the next attempt goes with the same key and gets the first answer.
  const SEND_TIMEOUT_MS = cfg.timeout;
  const listeners = [];
  const submittedHere = new Set(); // items created on this page view: their success may navigate
  let flushing = null;
  let navigateAfterFlush = null; // where an item sent from this page leads, once the flush ends
  let lastTrackFlush = 0;

  // ------------------------------------------------------------ IndexedDB
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB, 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore(ITEMS, { keyPath: "id" });
          req.result.createObjectStore(TRACK, { keyPath: "seq", autoIncrement: true });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }
  async function tx(store, mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const t = d.transaction(store, mode);
      const out = fn(t.objectStore(store));
      t.oncomplete = () => resolve(out && "result" in out ? out.result : out);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }
  const putItem = (item) => tx(ITEMS, "readwrite", (s) => s.put(item));
  const deleteItem = (id) => tx(ITEMS, "readwrite", (s) => s.delete(id));
  const allItems = () => tx(ITEMS, "readonly", (s) => s.getAll());
  const allPoints = () => tx(TRACK, "readonly", (s) => s.getAll());

  function mine(row) { return row.user === cfg.user; }
  function fmt(template, data) {
    return String(template || "").replace(/%\((\w+)\)s/g, (_m, k) => (data && data[k] != null ? data[k] : ""));
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function csrf() {
    // The cookie is current even when this page was served from the offline cache.
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // ------------------------------------------------------------ sending
  // ok: written (or the first answer to this key); final: refused, kept as 未成功;
  // otherwise the item stays waiting (no signal, server trouble, signed out).
  async function send(url, key, body, headers, owner) {
    let resp;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), SEND_TIMEOUT_MS);
    let data = {};
    try {
      resp = await fetch(url, {
        method: "POST", body, credentials: "same-origin", signal: stop.signal,
        // The owner goes with every item: the server refuses it to anyone else signed in.
        headers: Object.assign({ "X-CSRFToken": csrf(), "Idempotency-Key": key, "X-Outbox-Owner": String(owner) }, headers || {}),
      });
      try { data = await resp.json(); } catch (err) { data = {}; }
    } catch (err) {
      // No signal, or no answer in time (a lift, a basement): kept, sent again later.
      return { ok: false, final: false, offline: true, reason: navigator.onLine ? T.noAnswer : "" };
    } finally {
      clearTimeout(timer);
    }
    if (resp.ok) return { ok: true, data };
    if (resp.status === 401) return { ok: false, final: false, login: true, reason: T.relogin };
    if (resp.status >= 400 && resp.status < 500 && resp.status !== 408 && resp.status !== 429) {
      return { ok: false, final: true, status: resp.status, reason: data.detail || String(resp.status) };
    }
    return { ok: false, final: false, reason: T.retrying };
  }

  function itemBody(item) {
    const body = new FormData();
    item.fields.forEach(([k, v]) => body.append(k, v));
    item.files.forEach((f, i) => body.append(f.name, f.blob, `photo-${i}.jpg`));
    return body;
  }

  async function flushTrack() {
    const points = (await allPoints()).filter(mine);
    const byPatrol = new Map();
    points.forEach((p) => { if (!byPatrol.has(p.url)) byPatrol.set(p.url, []); byPatrol.get(p.url).push(p); });
    for (const [url, rows] of byPatrol) {
      let left = rows;
      while (left.length) {
        // A batch that was sent before (its answer may have been lost) goes again as it was.
        let batch = left.filter((p) => p.batch);
        let key = batch.length ? batch[0].batch : null;
        if (key) {
          batch = batch.filter((p) => p.batch === key);
        } else {
          key = uuid();
          batch = left.slice(0, BATCH).map((p) => Object.assign(p, { batch: key }));
          await tx(TRACK, "readwrite", (s) => batch.forEach((p) => s.put(p)));
        }
        const body = JSON.stringify({ points: batch.map((p) => ({ at: p.at, lon: p.lon, lat: p.lat })) });
        const result = await send(url, key, body, { "Content-Type": "application/json" }, cfg.user);
        if (!result.ok && !result.final) return false;
        const seqs = new Set(batch.map((p) => p.seq));
        if (result.final) {
          // Refused (the patrol was ended meanwhile): shown as 未成功, not silently dropped.
          await putItem({
            id: key, user: cfg.user, url, label: fmt(T.trackFailed, { n: batch.length }),
            fields: [], files: [], created: Date.now(), state: "failed", reason: result.reason,
          });
        }
        await tx(TRACK, "readwrite", (s) => seqs.forEach((seq) => s.delete(seq)));
        emit({ type: "track", url, kept: result.ok ? result.data.kept : 0, sent: batch.length });
        left = left.filter((p) => !seqs.has(p.seq));
      }
    }
    // The pause between sends counts from a send: a flush with nothing to send (the one at page
    // load) must not hold back the first position of a patrol just started for RETRY_MS.
    if (points.length) lastTrackFlush = Date.now();
    return true;
  }

  async function flushItems() {
    const items = (await allItems()).filter((i) => mine(i) && (i.state === "waiting" || i.state === "sending"))
      .sort((a, b) => a.created - b.created);
    for (const item of items) {
      item.state = "sending";
      item.tries = (item.tries || 0) + 1;
      await putItem(item);
      await render();
      const result = await send(item.url, item.id, itemBody(item), null, item.user);
      if (result.ok) {
        Object.assign(item, { state: "sent", sentAt: Date.now(), result: result.data, login: false, reason: fmt(item.sent, Object.assign({ detail: item.detail }, result.data)) });
        item.files = []; // the photos are on the server now; do not keep them on the phone
      } else if (result.final) {
        Object.assign(item, { state: "failed", reason: result.reason, status: result.status, login: false });
      } else {
        Object.assign(item, { state: "waiting", reason: result.reason || "", login: !!result.login });
      }
      await putItem(item);
      emit({ type: "item", item });
      if (!result.ok && !result.final) return false; // no signal: the rest waits too
    }
    return true;
  }

  async function prune() {
    const sent = (await allItems()).filter((i) => i.state === "sent").sort((a, b) => b.sentAt - a.sentAt);
    const old = sent.filter((i, n) => n >= KEEP_SENT_MAX || Date.now() - i.sentAt > KEEP_SENT_MS);
    for (const i of old) await deleteItem(i.id);
  }

  function flush() {
    if (flushing) return flushing;
    flushing = (async () => {
      try {
        if (await flushTrack()) await flushItems();
        await prune();
      } catch (err) {
        // IndexedDB trouble: leave everything as it is for the next attempt.
      } finally {
        flushing = null;
        await render();
        await showQueued().catch(() => undefined);
        // Leave the page only once the queue behind the item has gone too (签收 then 办结).
        const go = navigateAfterFlush;
        navigateAfterFlush = null;
        if (go) go();
      }
    })();
    return flushing;
  }

  // ------------------------------------------------------------ the list
  const panel = document.getElementById("outbox");
  const list = document.getElementById("outbox-list");
  const net = document.getElementById("outbox-net");

  function stateText(state) {
    return { waiting: T.stateWaiting, sending: T.stateSending, sent: T.stateSent, failed: T.stateFailed }[state];
  }

  // Renders run one after another, so an older reading of the stores never paints last.
  let renderChain = Promise.resolve();
  function render() {
    renderChain = renderChain.then(paint, paint);
    return renderChain;
  }

  async function paint() {
    if (!panel) return;
    const items = (await allItems()).filter(mine).sort((a, b) => b.created - a.created);
    const points = (await allPoints()).filter(mine);
    const waiting = items.filter((i) => i.state === "waiting" || i.state === "sending").length + (points.length ? 1 : 0);
    const sent = items.filter((i) => i.state === "sent").length;
    const failed = items.filter((i) => i.state === "failed").length;
    document.getElementById("outbox-waiting").textContent = fmt(T.waiting, { n: waiting });
    document.getElementById("outbox-waiting").dataset.count = waiting;
    document.getElementById("outbox-sent").textContent = fmt(T.sent, { n: sent });
    document.getElementById("outbox-sent").dataset.count = sent;
    document.getElementById("outbox-failed").textContent = fmt(T.failed, { n: failed });
    document.getElementById("outbox-failed").dataset.count = failed;
    const rows = [];
    if (points.length) rows.push({ id: "track", label: fmt(T.track, { n: points.length }), state: "waiting", created: Date.now() });
    rows.push(...items);
    list.replaceChildren(...rows.map((i) => {
      const li = document.createElement("li");
      li.dataset.state = i.state;
      li.dataset.id = i.id;
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = i.label;
      const state = document.createElement("span");
      state.className = "state";
      state.textContent = stateText(i.state);
      li.append(label, state);
      if (i.reason) {
        const why = document.createElement("span");
        why.className = "why";
        why.textContent = i.reason;
        li.append(why);
      }
      const when = document.createElement("span");
      when.className = "when";
      when.textContent = new Date(i.sentAt || i.created).toLocaleString("zh-CN", { hour12: false });
      li.append(when);
      if (i.state === "failed" && i.fields && i.fields.length && i.page) {
        // Refused for what was typed (an address that names two buildings): back into its form
        // to be put right and sent again, photos and all.
        const edit = document.createElement("button");
        edit.type = "button";
        edit.className = "outbox-edit";
        edit.textContent = T.edit;
        edit.addEventListener("click", () => {
          sessionStorage.setItem("outbox-edit", i.id);
          if (location.pathname === i.page) reopen(); else location.href = i.page;
        });
        li.append(edit);
      }
      if (i.state === "failed") {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = T.remove;
        remove.addEventListener("click", async () => { await deleteItem(i.id); await render(); });
        li.append(remove);
      }
      return li;
    }));
    const login = document.getElementById("outbox-login");
    if (login) {
      login.hidden = !items.some((i) => i.login && (i.state === "waiting" || i.state === "sending"));
      login.querySelector("a").search = `?next=${encodeURIComponent(location.pathname + location.search)}`;
    }
    panel.hidden = rows.length === 0 && navigator.onLine;
    net.hidden = navigator.onLine;
    net.textContent = navigator.onLine ? "" : T.offline;
  }

  function emit(event) { listeners.forEach((fn) => { try { fn(event); } catch (err) { /* a page's own handler */ } }); }

  // ------------------------------------------------------------ forms
  // Phone photos are 3–8 MB; 1600 px JPEG is plenty for evidence and goes up on weak signal.
  async function shrink(file) {
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
    } catch (err) {
      return file; // not decodable here: let the server judge it
    }
  }

  function statusFor(form) {
    let el = form.querySelector(".outbox-status");
    if (!el) {
      el = document.createElement("div");
      el.className = "outbox-status";
      el.setAttribute("role", "status");
      form.prepend(el);
    }
    return el;
  }
  function say(form, text, state) {
    const el = statusFor(form);
    el.textContent = text;
    el.dataset.state = state;
    el.setAttribute("role", state === "failed" ? "alert" : "status");
  }

  function labelFor(form, binding, submitter) {
    const detail = detailFor(form, binding, submitter);
    return detail ? `${binding.label} · ${detail}` : binding.label;
  }
  function detailFor(form, binding, submitter) {
    let detail = "";
    if (binding.detail === "submit") {
      detail = (submitter && submitter.textContent.trim()) || "";
    } else if (binding.detail) {
      const field = form.elements[binding.detail];
      if (field && field.tagName === "SELECT") detail = field.options[field.selectedIndex].text;
      else if (field) detail = String(field.value || "").slice(0, 20);
    }
    return detail;
  }

  async function capture(form, binding, submitter) {
    const data = new FormData(form, submitter || undefined);
    const fields = [], files = [];
    for (const [name, value] of data.entries()) {
      if (name === "csrfmiddlewaretoken") continue;
      const apiName = binding.rename[name] || name;
      if (value instanceof Blob) {
        if (value.size) files.push({ name: apiName, blob: await shrink(value) });
      } else {
        fields.push([apiName, value]);
      }
    }
    if (binding.stamp) fields.push([binding.stamp, new Date().toISOString()]);
    return {
      id: uuid(), user: cfg.user, url: binding.url, label: labelFor(form, binding, submitter),
      detail: detailFor(form, binding, submitter),
      fields, files, created: Date.now(), state: "waiting", reason: "", sent: binding.sent,
      after: binding.after, page: location.pathname, leads: form.dataset.leadsTo || "",
    };
  }

  // ------------------------------------------------------------ photos
  // Each photo input shows what was chosen, each picture removable, and opens the camera first
  // (the gallery stays one tap away in the phone's own chooser).
  function photoFields(root) {
    root.querySelectorAll("form[data-outbox-bound] input[type=file]").forEach((input) => {
      if (input.dataset.preview) return;
      input.dataset.preview = "1";
      if (!input.accept) input.accept = "image/*";
      if (!input.hasAttribute("capture")) input.setAttribute("capture", "environment");
      const list = document.createElement("ul");
      list.className = "photo-previews";
      list.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", list);
      input.addEventListener("change", () => paintPreviews(input, list));
    });
  }
  function paintPreviews(input, list) {
    list.querySelectorAll("img").forEach((img) => URL.revokeObjectURL(img.src));
    const files = Array.from(input.files || []);
    list.replaceChildren(...files.map((file, n) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = fmt(T.photoN, { n: n + 1 });
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "photo-remove";
      remove.textContent = T.remove;
      remove.setAttribute("aria-label", fmt(T.removePhoto, { n: n + 1 }));
      remove.addEventListener("click", () => {
        const keep = new DataTransfer();
        Array.from(input.files).forEach((f, i) => { if (i !== n) keep.items.add(f); });
        input.files = keep.files;
        paintPreviews(input, list);
        input.focus();
      });
      li.append(img, remove);
      return li;
    }));
  }
  // A refused item put back into its form on its page: the worker corrects it and sends it
  // again as a new item (a new key: the refusal is the stored answer to the old one).
  async function reopen() {
    const id = sessionStorage.getItem("outbox-edit");
    if (!id) return;
    const item = await tx(ITEMS, "readonly", (st) => st.get(id));
    if (!item || !mine(item) || item.page !== location.pathname) return;
    sessionStorage.removeItem("outbox-edit");
    const binding = bindings.find((b) => b.url === item.url);
    const form = binding && document.querySelector(binding.selector);
    if (!form) return;
    const back = {};
    Object.entries(binding.rename || {}).forEach(([formName, apiName]) => { back[apiName] = formName; });
    const seen = new Set();
    item.fields.forEach(([apiName, value]) => {
      const name = back[apiName] || apiName;
      const el = form.elements[name];
      if (!el || name === binding.stamp) return;
      const many = el instanceof RadioNodeList ? Array.from(el) : [el];
      many.forEach((f) => {
        if (f.type === "radio") { if (f.value === value) f.checked = true; }
        else if (f.type === "checkbox") { if (f.value === value) f.checked = true; else if (!seen.has(name)) f.checked = false; }
        else if (f.type !== "file" && f.type !== "submit") f.value = value;
      });
      seen.add(name);
    });
    const files = {};
    item.files.forEach((f, n) => { (files[f.name] = files[f.name] || []).push(new File([f.blob], `photo-${n + 1}.jpg`, { type: f.blob.type || "image/jpeg" })); });
    Object.entries(files).forEach(([apiName, list]) => {
      const input = form.elements[back[apiName] || apiName];
      if (!input || input.type !== "file") return;
      const dt = new DataTransfer();
      list.forEach((f) => dt.items.add(f));
      input.files = dt.files;
      input.dispatchEvent(new Event("change"));
    });
    form.dataset.outboxReplaces = item.id;
    say(form, item.reason, "failed");
    const first = form.querySelector("[name=building_address], input:not([type=hidden]), textarea, select");
    form.scrollIntoView({ block: "start" });
    if (first) first.focus();
  }

  function clearPreviews(form) {
    form.querySelectorAll(".photo-previews").forEach((list) => {
      list.querySelectorAll("img").forEach((img) => URL.revokeObjectURL(img.src));
      list.replaceChildren();
    });
  }

  // ------------------------------------------------------------ what a queued item leads to
  // A page may hold, beside its forms, the forms as they will be once a queued item has gone
  // (<template data-outbox-state="signed">, the case after 签收): the worker sees that state at
  // once and can queue the next step (签收, then 办结, in one visit without signal). The outbox
  // sends them in the order they were made.
  let pageView = null, pageStatus = "";
  async function showQueued() {
    const view = document.querySelector("[data-outbox-view]");
    if (!view) return;
    const status = document.querySelector("[data-outbox-status]");
    if (!pageView) { pageView = view; pageStatus = status ? status.textContent : ""; }
    const queued = (await allItems()).filter((i) => mine(i) && i.page === location.pathname && i.leads
      && (i.state === "waiting" || i.state === "sending")).sort((a, b) => a.created - b.created);
    const last = queued[queued.length - 1];
    const want = last ? last.leads : "";
    if ((view.dataset.shown || "") === want) return;
    let next = pageView, text = pageStatus;
    if (want) {
      // Refused or delivered, the page's own state comes back (a delivered item reloads it).
      const tpl = document.querySelector(`template[data-outbox-state="${want}"]`);
      if (!tpl) return;
      next = tpl.content.firstElementChild.cloneNode(true);
      next.dataset.outboxView = "";
      next.dataset.shown = want;
      text = fmt(T.queuedState, { state: tpl.dataset.statusText });
    }
    view.replaceWith(next);
    if (status) status.textContent = text;
    bindAll(next);
    photoFields(next);
  }

  // What the page does when an item submitted on it has gone (or was refused) at once.
  listeners.push((event) => {
    if (event.type !== "item" || !submittedHere.has(event.item.id)) return;
    const item = event.item;
    if (item.state === "failed") {
      // Refused when the signal came back: said at the form too, not only in the list (the
      // page's own state shown again first, in place of the one the item would have led to).
      showQueued().then(() => {
        const form = document.querySelector(`form[data-outbox-item="${item.id}"]`);
        if (form) say(form, item.reason, "failed");
      });
      return;
    }
    const form = document.querySelector(`form[data-outbox-item="${item.id}"]`);
    if (item.state !== "sent") return;
    if (item.after === "stay") {
      if (form) say(form, item.reason || T.sentOk, "sent");
      return;
    }
    sessionStorage.setItem("outbox-flash", item.reason || T.sentOk);
    const to = item.after === "reload" ? null : fmt(item.after, item.result);
    navigateAfterFlush = () => { if (to) location.href = to; else location.reload(); };
  });

  const bindings = [];
  function bind(binding, root) {
    (root || document).querySelectorAll(binding.selector).forEach((form) => {
      if (form.dataset.outboxBound) return;
      if (binding.onlyField) {
        const field = form.elements[binding.onlyField];
        if (!field || !binding.only.includes(field.value)) return;
      }
      form.dataset.outboxBound = "1";
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const button = ev.submitter;
        if (button) button.disabled = true;
        let resubmit = false;
        try {
          const item = await capture(form, binding, button);
          form.dataset.outboxItem = item.id;
          await putItem(item);
          if (form.dataset.outboxReplaces) {
            await deleteItem(form.dataset.outboxReplaces);
            delete form.dataset.outboxReplaces;
          }
          submittedHere.add(item.id);
          if (navigator.onLine) {
            say(form, T.stateSending, "waiting");
            await flush();
            // A flush already under way may have started before this item was saved (one that
            // tried it and heard nothing leaves it for the next round).
            const again = await tx(ITEMS, "readonly", (st) => st.get(item.id));
            if (again && again.state === "waiting" && !again.tries) await flush();
          }
          const now = await tx(ITEMS, "readonly", (st) => st.get(item.id));
          if (now.state === "failed") {
            // Refused at once: the form still holds what was typed. A refused input (422) goes
            // to the page itself, which shows each message at its field; nothing was written.
            await deleteItem(item.id);
            if (now.status === 422 || now.status === 400) resubmit = true;
            else say(form, now.reason, "failed");
            await render();
          } else if (now.state !== "sent") {
            form.reset();
            clearPreviews(form);
            await showQueued();
            // The form may have given way to the next step's (签收 queued: 办结 is offered now).
            const where = form.isConnected ? form : (document.querySelector("[data-outbox-view]") || form);
            say(where, navigator.onLine && now.reason === T.noAnswer ? T.noAnswerSaved : (navigator.onLine ? T.saved : T.savedOffline), "waiting");
          }
        } finally {
          if (button) button.disabled = false;
          await render();
        }
        if (resubmit) {
          // The server answered at once, so the page post is not at the mercy of the signal.
          if (button && button.name) {
            const carry = document.createElement("input");
            carry.type = "hidden"; carry.name = button.name; carry.value = button.value;
            form.append(carry);
          }
          HTMLFormElement.prototype.submit.call(form);
        }
      });
    });
  }
  function bindAll(root) { bindings.forEach((b) => bind(b, root)); }

  function flash() {
    const text = sessionStorage.getItem("outbox-flash");
    if (!text) return;
    sessionStorage.removeItem("outbox-flash");
    // As the pages' own messages: a live region around a list (a list given role=status
    // would no longer be a list to a screen reader).
    const status = document.createElement("div");
    status.setAttribute("role", "status");
    const ul = document.createElement("ul");
    ul.className = "messages";
    const li = document.createElement("li");
    li.className = "success";
    li.textContent = text;
    ul.append(li);
    status.append(ul);
    const main = document.querySelector("main") || document.body;
    main.parentNode.insertBefore(status, main);
  }

  // ------------------------------------------------------------ the page's API
  window.WanggeOutbox = {
    // A position from the phone's watch, kept until the server has acknowledged it.
    async track(url, at, lon, lat) {
      await tx(TRACK, "readwrite", (s) => s.add({ user: cfg.user, url, at, lon, lat, batch: null }));
      await render();
      if (navigator.onLine && Date.now() - lastTrackFlush >= TRACK_EVERY_MS) flush();
    },
    async pendingPoints(url) {
      return (await allPoints()).filter((p) => mine(p) && p.url === url).length;
    },
    flush,
    on(fn) { listeners.push(fn); },
  };

  document.querySelectorAll("script.outbox-form").forEach((el) => bindings.push(JSON.parse(el.textContent)));
  bindAll(document);
  photoFields(document);
  showQueued();
  reopen();
  flash();
  window.addEventListener("online", () => { render(); flush(); });
  window.addEventListener("offline", () => { render(); });
  setInterval(() => { if (navigator.onLine) flush(); }, RETRY_MS);
  if ("serviceWorker" in navigator && cfg.sw) {
    navigator.serviceWorker.register(cfg.sw, { scope: "/" }).then(() => navigator.serviceWorker.ready)
      .then((reg) => { if (reg.active) reg.active.postMessage({ type: "seen", url: location.href }); })
      .catch(() => { /* no offline copy of pages; the outbox still works */ });
  }
  render().then(() => { if (navigator.onLine) flush(); });
})();
