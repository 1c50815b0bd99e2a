// The staff service worker: the field pages a worker last opened stay readable without signal
// (network first, so they are fresh when online; the copy from the last visit otherwise). Work
// done offline does not go through here: each page's outbox keeps it in IndexedDB and sends it.
// The residents' app at /m/ has its own worker with the narrower scope, which takes precedence.
const CACHE = "wangge-staff-{{ version }}";
const SHELL = ["{{ css }}", "{{ outbox_css }}", "{{ outbox_js }}"];
// Pages worth keeping for the field; nothing else is stored (the admin, the API, photos).
const PAGES = {{ prefixes|safe }};
const OFFLINE_TITLE = "{{ offline_title|escapejs }}";
const OFFLINE_TEXT = "{{ offline_text|escapejs }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("wangge-staff-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function keepable(url) {
  if (url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith("/static/")) return true;
  return PAGES.some((p) => url.pathname === p || (p.endsWith("/") && p !== "/" && url.pathname.startsWith(p)));
}

function store(req, resp) {
  // A redirect (to the login page, say) is not the page that was asked for.
  if (resp.ok && !resp.redirected && resp.type === "basic") {
    const copy = resp.clone();
    caches.open(CACHE).then((c) => c.put(req, copy));
  }
  return resp;
}

function offlinePage() {
  const html = `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${OFFLINE_TITLE}</title>` +
    `<link rel="stylesheet" href="{{ css }}"></head><body><main class="page"><h1>${OFFLINE_TITLE}</h1>` +
    `<p>${OFFLINE_TEXT}</p></main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method === "POST" && url.origin === self.location.origin && url.pathname === "{{ logout }}") {
    // Signing out leaves no copy of anyone's pages on a shared phone.
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (req.method !== "GET" || !keepable(url)) return;
  event.respondWith(
    fetch(req).then((resp) => store(req, resp)).catch(() =>
      // Pages vary on the cookie and the language: one person's copies on their phone
      // (cleared at sign-out), so any stored copy of the address will do.
      caches.match(req, { ignoreVary: true }).then((hit) => hit || (req.mode === "navigate" ? offlinePage() : Response.error())),
    ),
  );
});

// A page tells the worker it was opened before the worker controlled it: keep a copy of it too,
// and take it over. The claim at activation passes by a page whose loading began before this
// worker was active and had not finished (a form posted while the worker installed, say): that
// page would go uncontrolled until the next one, its own requests never reaching the worker.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "seen" || !data.url) return;
  const url = new URL(data.url);
  const req = keepable(url) ? new Request(url.href, { credentials: "same-origin" }) : null;
  event.waitUntil(Promise.all([
    self.clients.claim().catch(() => undefined),
    req && fetch(req).then((resp) => store(req, resp)).catch(() => undefined),
  ]));
});
