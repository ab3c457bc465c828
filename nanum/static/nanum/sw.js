/* Nanum's service worker (served at /sw.js, scope /).
 *
 * Keeps readable offline: the shell (styles, scripts, icons: cache first), the
 * student's home and every lesson already opened (network first, the last copy when
 * offline). Answers given offline are queued by offline.js in the page, not here.
 * Nothing but GET requests of this site is touched; a page that came back as a
 * redirect (to the sign-in page) is never stored.
 */
"use strict";

const CACHE = "nanum-offline-v1";
const PAGES = /^\/(learning\/me\/|learning\/lessons\/(\d+\/)?)?$/;
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
const OFFLINE =
  '<!DOCTYPE html><html lang="ko"><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  "<title>오프라인 · Offline</title><h1>오프라인입니다</h1>" +
  "<p>이 페이지는 아직 이 기기에 저장되지 않았습니다. 연결되면 다시 열어 주세요.</p>" +
  '<h2 lang="en">You are offline</h2><p lang="en">This page was not saved on this ' +
  "device yet. Open it again when you are back online.</p></html>";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "nanum:forget") {
    event.waitUntil(caches.delete(CACHE));
  }
});

function keep(request, response) {
  if (response && response.ok && !response.redirected && response.type === "basic") {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return (
    (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }))
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    if (HASHED.test(url.pathname)) {
      // a hashed name never changes: the stored copy is the file
      event.respondWith(
        fromCache(request).then((hit) => hit || fetch(request).then((r) => keep(request, r))),
      );
    } else {
      // unhashed (development): the network first, the stored copy offline
      event.respondWith(
        fetch(request)
          .then((r) => keep(request, r))
          .catch(() => fromCache(request).then((hit) => hit || Response.error())),
      );
    }
    return;
  }
  if (request.mode === "navigate" && PAGES.test(url.pathname)) {
    event.respondWith(
      fetch(request)
        .then((r) => keep(new Request(url.pathname), r))
        .catch(() =>
          fromCache(new Request(url.pathname)).then(
            (hit) =>
              hit ||
              new Response(OFFLINE, {
                status: 503,
                headers: { "Content-Type": "text/html; charset=utf-8" },
              }),
          ),
        ),
    );
  }
});
