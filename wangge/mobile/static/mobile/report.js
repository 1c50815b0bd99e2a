// 有事找支部 on the phone: describe → where (my location, a pin on the map, or an address the
// resolver suggests as one types) → photos (previewed, removable, shrunk here before upload) →
// 提交中 → the confirmation page with the number. Reports made without signal wait in the app's
// outbox (report_outbox.js) and are sent from whichever page is open when the connection returns
// (frame.js) or by the service worker; each carries an id made here, which the server uses to
// make a retried report one case (exactly once, however often and from wherever it is sent).
(function () {
  "use strict";
  const form = document.getElementById("m-report");
  const status = document.getElementById("m-report-status");
  const queued = document.getElementById("m-queued");
  const submit = document.getElementById("m-submit");
  const where = document.getElementById("m-where");
  const address = document.getElementById("m-address");
  const suggest = document.getElementById("m-suggest");
  const description = document.getElementById("m-description");
  const offerText = document.getElementById("m-suggested-text");
  const confirm = document.getElementById("m-confirm");
  const previews = document.getElementById("m-previews");
  const picker = document.getElementById("m-photos");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const text = JSON.parse(document.getElementById("m-text").textContent);
  const MAX_PHOTOS = 9;
  const outbox = window.wanggeOutbox;
  let photos = []; // {file, url}

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
      if (r.ok) { const place = await r.json(); sayPlace(place); return place; }
    } catch (err) { /* offline: the pin is kept, the server locates it on delivery */ }
    return null;
  }
  // The address a suggestion filled in: it names the place the pin was put on, so when the pin
  // is moved it no longer does. The case is routed by the pin; the address follows it (the
  // building at the pin, or nothing), so whoever goes out reads the place the pin shows.
  let chosen = "";
  async function pinMoved(lon, lat, crs) {
    pinIsTheirs();
    setPosition(lon, lat, crs);
    const before = address.value.trim();
    const fromSuggestion = before !== "" && before === chosen;
    const place = await lookUp(lon, lat, crs);
    if (!before || fromSuggestion) {
      const now = place && place.building ? place.building : "";
      if (now === before) return;
      address.value = now;
      chosen = now;
      if (fromSuggestion) {
        const note = document.createElement("span");
        note.className = "m-where-note";
        note.textContent = now ? text.addressFromPin.replace("%(a)s", now) : text.addressCleared;
        where.append(" ", note);
      }
    }
  }
  if (window.reportMap) {
    window.reportMap.onPin(({ lon, lat, crs }) => { pinMoved(lon, lat, crs); });
  }

  // --- a place read from the words ----------------------------------------------------------
  // What the resident typed may describe a place without a building (建设路与桐柏路交叉口东北角).
  // Its inferred point is offered as a hollow pin to confirm or drag, and is not sent until they
  // do: a guess is never the report's position by itself. Once the pin is theirs (put down,
  // dragged, their location, a building chosen, or this point confirmed), words change nothing.
  let theirs = false;
  let offer = null; // {lon, lat} of the suggested pin, WGS-84
  function sayOffer(message, detail) {
    offerText.textContent = message;
    if (detail) {
      const small = document.createElement("small");
      small.textContent = detail;
      offerText.append(small);
    }
  }
  function withdrawOffer() {
    if (theirs) return;
    if (offer && window.reportMap) window.reportMap.withdraw();
    offer = null;
    confirm.hidden = true;
    sayOffer("");
  }
  function pinIsTheirs() {
    theirs = true;
    offer = null;
    confirm.hidden = true;
    sayOffer("");
  }
  function offerFrom(found) {
    if (theirs || !found) return;
    const place = found.kind === "place" ? found.place : null;
    if (place && window.reportMap) {
      offer = { lon: place.lon, lat: place.lat };
      window.reportMap.suggest(place.lon, place.lat);
      const grid = [place.grid, place.micro_grid].filter(Boolean).join(" ");
      sayOffer(text.inferred.replace("%(p)s", place.phrase), grid ? text.inferredGrid.replace("%(g)s", grid) : "");
      confirm.hidden = false;
    } else if (found.kind === "candidates" && (found.grids || []).length && !(found.candidates || []).length) {
      withdrawOffer();
      sayOffer(text.severalGrids.replace("%(g)s", found.grids.join("、")));
    } else {
      withdrawOffer();
    }
  }
  confirm.addEventListener("click", () => {
    if (!offer) return;
    const { lon, lat } = offer;
    setPosition(lon, lat, "wgs84");
    if (window.reportMap) window.reportMap.confirm();
    pinIsTheirs();
    sayOffer(text.confirmed);
    lookUp(lon, lat, "wgs84");
  });

  // Answers may come back out of order on a slow network: only the latest question counts
  // (an older one answers undefined). A question that fails (null) says nothing: what was
  // offered for words no longer there goes, and the server reads the words on arrival.
  let asked = 0;
  async function ask(params) {
    const mine = ++asked;
    let found = null;
    try {
      const r = await fetch(`/m/report/address.json?${new URLSearchParams(params)}`, { credentials: "same-origin" });
      if (r.ok) found = await r.json();
    } catch (err) { found = null; }
    return mine === asked ? found : undefined;
  }

  let typing = null;
  address.addEventListener("input", () => {
    clearTimeout(typing);
    // The address speaks for the place now: a reading of the description still waiting to be
    // asked would be the newer request, and the address's answer dropped as stale.
    clearTimeout(describing);
    typing = setTimeout(async () => {
      const q = address.value.trim();
      if (q.length < 2) { suggest.hidden = true; describedPlace(); return; }
      const found = await ask({ q });
      if (found === undefined) return;
      if (!found) { suggest.hidden = true; withdrawOffer(); return; }
      showSuggestions(found);
      offerFrom(found);
    }, 300);
  });
  // The description speaks for the place only while the address field is empty (as on the
  // server: the address first, else the text).
  let describing = null;
  function describedPlace() {
    clearTimeout(describing);
    if (theirs || address.value.trim().length >= 2) return;
    describing = setTimeout(async () => {
      if (address.value.trim().length >= 2) return; // an address came meanwhile
      const words = description.value.trim();
      if (words.length < 2) { withdrawOffer(); return; }
      const found = await ask({ text: words });
      if (found === undefined || address.value.trim().length >= 2) return;
      if (found) offerFrom(found);
      else withdrawOffer();
    }, 600);
  }
  description.addEventListener("input", describedPlace);
  function choose(b) {
    address.value = b.address;
    chosen = b.address;
    suggest.hidden = true;
    pinIsTheirs();
    setPosition(b.lon, b.lat, "wgs84");
    if (window.reportMap) window.reportMap.show(b.lon, b.lat);
    sayPlace({ found: Boolean(b.micro_grid), building: b.address, micro_grid: b.micro_grid, grid: b.grid });
  }
  function showSuggestions(found) {
    const rows = found.candidates || [];
    if (!rows.length) {
      suggest.hidden = true;
      // A place or grids read from the words are said beside the map, not as "not found".
      const placed = found.kind === "place" || (found.grids || []).length;
      where.textContent = placed ? "" : text.notFound;
      where.dataset.state = placed ? "" : "none";
      return;
    }
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
      pinIsTheirs();
      setPosition(lon, lat, "wgs84");
      document.getElementById("m-located").textContent = text.located;
      if (window.reportMap) window.reportMap.show(lon, lat);
      lookUp(lon, lat, "wgs84");
    }, () => { document.getElementById("m-located").textContent = text.locateFailed; },
    { enableHighAccuracy: true, timeout: 10000 });
  });

  // --- sending: through the app's outbox (mobile/report_outbox.js) ------------------------
  // After this long with no answer the resident is told the network is slow and may stop
  // waiting (稍后自动发送: the report stays on the phone and goes by itself) or take it back
  // (取消: the form keeps all they typed and chose). The send itself goes on meanwhile.
  const SLOW_MS = 4000;
  const slow = document.getElementById("m-slow");
  const later = document.getElementById("m-later");
  const cancel = document.getElementById("m-cancel");
  const offlineDone = document.getElementById("m-offline-done");
  // The id of the report this form holds, from its first 提交 until it is filed or saved on the
  // phone. A send the resident cancelled may still have reached the server; the form sent again
  // carries the same id, and the server answers with that case instead of filing a second.
  let attempt = "";
  let decide = null; // the resident's answer to "slow": "later" or "cancel"

  async function showQueue(waiting) {
    const n = waiting === undefined ? (await outbox.all()).length : waiting;
    queued.hidden = n === 0;
    queued.textContent = n ? (navigator.onLine ? text.waitingOnline : text.waiting).replace("%(n)s", n) : "";
  }
  function say(message, state) {
    status.textContent = message;
    status.dataset.state = state;
  }
  function showSent(c) {
    say(text.sent.replace("%(n)s", c.number), "sent");
    offlineDone.hidden = true;
  }

  // The frame delivers what waits from any page; here a report queued on this page and
  // delivered while it is still open replaces "saved on the phone" with what became of it.
  window.addEventListener("wangge:outbox", (ev) => {
    const { delivered, waiting } = ev.detail;
    showQueue(waiting);
    const sent = delivered.filter((d) => d.ok);
    const refused = delivered.filter((d) => !d.ok);
    if (sent.length) {
      say(text.sent.replace("%(n)s", sent.map((d) => d.body.number).join("、")), "sent");
      offlineDone.hidden = true;
    } else if (refused.length) {
      say(refused[0].detail || text.failed, "error");
    }
  });

  function busy(on) {
    submit.disabled = on;
    submit.textContent = on ? text.submitting : text.submit;
    form.setAttribute("aria-busy", on ? "true" : "false");
    if (on) say(text.submitting, "sending");
  }
  function showSlow(on) {
    slow.hidden = !on;
    if (on) say(text.slow, "slow");
  }
  later.addEventListener("click", () => { if (decide) decide("later"); });
  cancel.addEventListener("click", () => { if (decide) decide("cancel"); });

  // Saved on the phone, to go by itself: the form gives way to what was saved and why it
  // waits, said as it is (no network only when the phone has none).
  const WHY = {
    offline: [text.saved, text.whyOffline],
    slow: [text.savedSlow, text.whySlow],
    timeout: [text.savedSlow, text.whySlow],
    "no-reply": [text.savedNoReply, text.whyNoReply],
    server: [text.savedServer, text.whyServer],
    signin: [text.savedSignin, text.whySignin],
  };
  async function saved(why, item) {
    outbox.askForSync();
    window.dispatchEvent(new Event("wangge:queued")); // the frame tries it again by itself
    const [line, card] = WHY[why] || WHY.slow;
    const words = String(item.fields.description || "").trim();
    const what = text.what.replace("%(d)s", words.length > 40 ? `${words.slice(0, 40)}…` : words)
      + (item.photos.length ? text.whatPhotos.replace("%(n)s", item.photos.length) : "");
    photos.forEach((p) => URL.revokeObjectURL(p.url));
    photos = [];
    drawPreviews();
    form.reset();
    attempt = "";
    chosen = "";
    theirs = false;
    withdrawOffer();
    if (window.reportMap) window.reportMap.clear();
    where.textContent = "";
    document.getElementById("m-located").textContent = "";
    say(line, "queued");
    offlineDone.dataset.why = why;
    document.getElementById("m-queued-why").textContent = card;
    document.getElementById("m-queued-what").textContent = what;
    form.hidden = true;
    offlineDone.hidden = false;
    offlineDone.focus();
    await showQueue();
  }

  // What became of a send the resident stopped waiting for (稍后自动发送), if this page is
  // still open when it is answered.
  function late(outcome) {
    if (outcome.ok) showSent(outcome.body);
    else if (!outcome.wait && !outcome.cancelled && !outcome.gone) say(outcome.detail || text.failed, "error");
    showQueue();
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (decide) return; // already sending
    const data = new FormData(form);
    if (!String(data.get("description") || "").trim()) {
      say(text.needDescription, "error");
      document.getElementById("m-description").focus();
      return;
    }
    busy(true);
    let slowTimer = null;
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
      attempt = attempt || crypto.randomUUID();
      const item = { id: attempt, fields, photos: blobs, at: Date.now(), csrf };
      await outbox.put(item);
      if (!navigator.onLine) { await saved("offline", item); return; }

      const run = outbox.flush({ csrf, quiet: item.id }).then(
        (outcomes) => outcomes[item.id] || { ok: false, wait: true, why: "no-reply" },
        () => ({ ok: false, wait: true, why: "no-reply" }),
      );
      const answer = new Promise((resolve) => { decide = resolve; });
      slowTimer = setTimeout(() => showSlow(true), SLOW_MS);
      const first = await Promise.race([run, answer]);
      clearTimeout(slowTimer);
      showSlow(false);
      if (first === "later") {
        await saved("slow", item);
        run.then(late);
        return;
      }
      if (first === "cancel") {
        await outbox.cancel(item.id);
        say(text.cancelled, "cancelled");
        return;
      }
      const outcome = first;
      if (outcome.ok) { location.assign(`/m/report/done/${outcome.body.id}/`); return; }
      if (outcome.wait) { await saved(outcome.why, item); return; }
      if (outcome.gone) {
        // Delivered from elsewhere meanwhile: the frame says what became of it (perhaps already).
        if (["sending", "slow"].includes(status.dataset.state)) say("", "");
        return;
      }
      if (outcome.cancelled) { say(text.cancelled, "cancelled"); return; }
      // Refused: nothing was filed; the form holds what was typed, to be put right.
      attempt = "";
      say(outcome.detail || text.failed, "error");
    } finally {
      clearTimeout(slowTimer);
      showSlow(false);
      decide = null;
      busy(false);
      if (status.dataset.state === "sending") status.textContent = "";
    }
  });

  showQueue();
})();
