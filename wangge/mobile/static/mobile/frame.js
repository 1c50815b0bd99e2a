// The 原点在线 frame on every resident page: a back control that returns to where one came from
// (or to the home page when the page was opened from a link outside the app), the service
// worker that keeps the shell and the pages last seen readable without signal, and the outbox:
// reports saved on the phone are delivered from whichever page is open when the connection
// returns, and what became of them is shown here (number, who handles it, by when).
(function () {
  "use strict";
  const back = document.querySelector("[data-back]");
  if (back) {
    back.addEventListener("click", (ev) => {
      const fromHere = document.referrer && new URL(document.referrer).origin === location.origin;
      if (fromHere && history.length > 1) {
        ev.preventDefault();
        history.back();
      }
    });
  }
  if ("serviceWorker" in navigator && window.isSecureContext) {
    const scopes = JSON.parse(document.getElementById("m-sw-scopes").textContent);
    scopes.forEach((scope) => navigator.serviceWorker.register("/m/sw.js", { scope }).catch(() => {}));
    // The worker delivered a report by Background Sync while this page was open.
    navigator.serviceWorker.addEventListener("message", (ev) => {
      if (ev.data && ev.data.type === "wangge-outbox") refresh();
    });
  }

  const outbox = window.wanggeOutbox;
  const box = document.getElementById("m-outbox");
  if (!outbox || !box || !window.indexedDB) return;
  const T = JSON.parse(document.getElementById("m-outbox-text").textContent);
  let csrf = "";
  try { csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (err) { /* none */ }
  // Dates as on every resident page (core.dates.plain_when): 11月28日 21:13, the year in front
  // when it is not this year; read in the district's zone, whatever the phone's own.
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: T.tz, year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  function dateParts(d) {
    const out = {};
    parts.formatToParts(d).forEach((p) => { out[p.type] = p.value; });
    return out;
  }
  const when = {
    format(d) {
      const p = dateParts(d);
      const day = p.year === dateParts(new Date()).year ? T.day : T.dayYear;
      return `${day.replace("%(year)s", p.year).replace("%(month)s", p.month).replace("%(day)s", p.day)} ${p.hour}:${p.minute}`;
    },
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    node.append(...children);
    return node;
  }
  function fact(term, value, id) {
    return [el("dt", {}, term), el("dd", id ? { id } : {}, value)];
  }
  function delivered(d) {
    if (!d.ok) return el("p", { class: "m-outbox-refused" }, T.refused.replace("%(d)s", d.detail || T.failedPlain));
    const c = d.body;
    const handler = c.assignee || (c.handling_node && c.handling_node.name) || T.dispatching;
    const facts = [...fact(T.number, c.number, "m-outbox-number"), ...fact(T.handler, handler, "m-outbox-handler")];
    if (c.due_at) facts.push(...fact(T.due, T.before.replace("%(t)s", when.format(new Date(c.due_at))), "m-outbox-due"));
    return el("div", { class: "m-outbox-case" },
      el("h2", {}, T.sent),
      el("dl", { class: "m-facts" }, ...facts),
      el("p", {}, el("a", { class: "btn primary", href: `/m/report/done/${c.id}/` }, T.view)));
  }
  function draw(done, waiting) {
    const shown = done.map(delivered);
    // "Once connected" only when the phone has no connection; online, the server was slow or
    // its answer was lost, and the report goes on the next try.
    if (waiting) shown.push(el("p", { id: "m-outbox-waiting" }, (navigator.onLine ? T.waitingOnline : T.waiting).replace("%(n)s", waiting)));
    box.replaceChildren(...shown);
    box.hidden = shown.length === 0;
  }

  let running = null;
  async function work() {
    if (navigator.onLine) {
      try { await outbox.flush({ csrf }); } catch (err) { /* kept for the next try */ }
    }
    const done = await outbox.takeDelivered();
    const waiting = (await outbox.all()).length;
    // What an earlier run showed stays until the page is left.
    const shown = box.querySelectorAll(".m-outbox-case, .m-outbox-refused");
    draw(done, waiting);
    if (!done.length && shown.length) { box.prepend(...shown); box.hidden = false; }
    window.dispatchEvent(new CustomEvent("wangge:outbox", { detail: { delivered: done, waiting } }));
    retryLater(waiting);
  }
  // Reports still waiting while the phone is online (a slow server, an answer lost on the way)
  // are tried again by themselves, sooner at first: no "online" event would ever come for them.
  const RETRY_MS = [10000, 30000, 60000];
  let retryTimer = null, retries = 0;
  function retryLater(waiting) {
    clearTimeout(retryTimer);
    if (!waiting || !navigator.onLine) { retries = 0; return; }
    retryTimer = setTimeout(refresh, RETRY_MS[Math.min(retries, RETRY_MS.length - 1)]);
    retries += 1;
  }
  function refresh() {
    running = (running || Promise.resolve()).then(work, work);
    return running;
  }
  window.addEventListener("online", () => { retries = 0; refresh(); });
  // A page saved a report on the phone just now (有事找支部, after no answer): try it again soon.
  window.addEventListener("wangge:queued", () => { retries = 0; retryLater(1); });
  window.addEventListener("offline", () => { refresh(); });
  refresh();
})();
