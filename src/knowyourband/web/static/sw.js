// Service worker: keeps the app shell (HTML, CSS, JS, icons) for offline start. API calls and
// /media pictures always go to the network — results must be fresh and thumbnails are many.

const CACHE = "kyb-shell-v2";
const SHELL = [
  "./", "index.html", "style.css", "app.js", "js/api.js", "js/shrink.js", "js/overlay.js", "js/views.js",
  "manifest.webmanifest", "icons/icon.svg", "icons/icon-192.png", "icons/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

const SHELL_URLS = new Set(SHELL.map((path) => new URL(path, self.registration.scope).href));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  url.search = "";
  url.hash = "";
  // Only the shell's own files: the API, /media, /docs and the rest pass straight to the network.
  if (event.request.method !== "GET" || !SHELL_URLS.has(url.href)) return;
  // Network first so a new release shows at once; the cached shell only when offline.
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request).then((hit) => hit || caches.match("index.html"))));
});
