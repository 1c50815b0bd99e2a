// 原点在线 service worker: the shell and the pages last seen stay readable without signal, and
// reports saved on the phone are delivered by Background Sync where the browser has it.
// Pages are network-first (fresh when online), falling back to the copy kept from the last visit;
// a page never opened says so (it was not saved for use without signal), never another page.
// Registered for each part of the app (`scopes`), one worker script for all of them.
importScripts("{{ outbox_js }}");
const CACHE = "wangge-m-{{ version }}";
const SHELL = [{% for url in shell %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const NOT_SAVED = "{{ not_saved }}";
const STAFF_ONLY = [{% for url in staff_only %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  // The same script is installed once per scope: only the first fetches the shell.
  event.waitUntil(caches.open(CACHE)
    .then((c) => Promise.all(SHELL.map((url) => c.match(url).then((hit) => hit || c.add(url)))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("wangge-m-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method === "POST" && url.origin === self.location.origin && url.pathname === "{{ logout }}") {
    // Signing out leaves no copy of anyone's pages on a shared phone.
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  // Only GETs of our own pages and assets; reports go through the outbox.
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  // A staff page under one of the app's scopes is not the app's: neither kept nor stood in for.
  if (STAFF_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;
  event.respondWith(
    fetch(req).then((resp) => {
      // A redirect (to the sign-in page, say) is not the page that was asked for.
      if (resp.ok && !resp.redirected && resp.type === "basic") {
        const copy = resp.clone();
        caches.open(CACHE).then((c) => c.put(req, copy));
      }
      return resp;
    // Pages vary on the cookie and the language: one person's copies on their phone (cleared
    // at sign-out), so any stored copy of the address will do.
    }).catch(() => caches.match(req, { ignoreVary: true }).then((hit) => {
      if (hit) return hit;
      if (req.mode === "navigate") return caches.match(NOT_SAVED);
      return Response.error();
    })),
  );
});

async function deliver() {
  const outcomes = await self.wanggeOutbox.flush({});
  // Only news (delivered or refused) is worth telling the open pages; a report still waiting
  // is tried again by them and by the browser.
  if (Object.values(outcomes).some((o) => !o.wait)) {
    const pages = await self.clients.matchAll({ type: "window" });
    pages.forEach((p) => p.postMessage({ type: "wangge-outbox" }));
  }
  // Still waiting (no answer yet): a rejected sync is tried again by the browser.
  if ((await self.wanggeOutbox.all()).length) throw new Error("reports still waiting");
}

self.addEventListener("sync", (event) => {
  if (event.tag === self.wanggeOutbox.SYNC_TAG) event.waitUntil(deliver());
});
