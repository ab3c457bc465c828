/* Offline and slow links (loaded deferred on every page; no inline script: the CSP).
 *
 * 1. Registers the service worker (/sw.js), which keeps the shell, the student's home
 *    and the lessons already opened readable offline. The page that was open when the
 *    worker first started is stored too.
 * 2. Quiz answers given offline (forms marked data-offline-queue) are kept in this
 *    browser, each with an id made here, and sent when the connection is back. The
 *    server records an answer once per id (nanum.core.idempotency.form_once), so an
 *    answer sent twice (two tabs, a retry) counts once, and none is lost: an answer
 *    leaves the queue only when the lesson page came back for it.
 * 3. Signing out forgets the stored pages (a shared phone).
 */
(function () {
  "use strict";
  var KEY = "nanum-answer-queue";
  var CACHE = "nanum-offline-v1";

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "[]");
    } catch (e) {
      return [];
    }
  }
  function save(queue) {
    window.localStorage.setItem(KEY, JSON.stringify(queue));
  }
  function me() {
    var el = document.querySelector("[data-nanum-user]");
    return el ? el.getAttribute("data-nanum-user") : null;
  }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }
  function say(key, count) {
    var box = document.querySelector("[data-offline-status]");
    if (!box) return;
    var text = box.getAttribute("data-msg-" + key) || "";
    box.textContent = text.replace("{count}", String(count || 0));
    box.hidden = false;
  }

  if ("serviceWorker" in navigator) {
    var controlled = !!navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function () {
        if (!controlled && me() && window.caches) {
          return window.caches.open(CACHE).then(function (cache) {
            return cache.add(window.location.pathname);
          });
        }
      })
      .catch(function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (/\/accounts\/logout\/$/.test(new URL(form.action, window.location.href).pathname)) {
      if (window.caches) window.caches.delete(CACHE);
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("nanum:forget");
      }
      return;
    }
    if (!form.hasAttribute("data-offline-queue") || navigator.onLine) return;
    event.preventDefault();
    var data = new FormData(form);
    if (data.get("answer") === null) {
      say("choose");
      return;
    }
    var id = newId();
    data.set("form_token", id);
    var queue = load();
    queue.push({
      id: id,
      user: form.getAttribute("data-nanum-user"),
      url: window.location.pathname,
      body: new URLSearchParams(data).toString(),
    });
    save(queue);
    say("queued", queue.length);
  });

  var flushing = false;
  function flush() {
    var user = me();
    if (flushing || !navigator.onLine || !user) return;
    var mine = load().filter(function (e) {
      return e.user === user;
    });
    if (!mine.length) return;
    flushing = true;
    var sent = 0;
    var chain = Promise.resolve();
    mine.forEach(function (entry) {
      chain = chain.then(function () {
        return fetch(entry.url, {
          method: "POST",
          body: entry.body,
          credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        })
          .then(function (r) {
            // Recorded: the lesson came back (a sign-in page means not recorded).
            if (r.ok && new URL(r.url).pathname === entry.url) {
              save(
                load().filter(function (e) {
                  return e.id !== entry.id;
                }),
              );
              sent += 1;
            }
          })
          .catch(function () {});
      });
    });
    chain.then(function () {
      flushing = false;
      if (sent) say("sent", sent);
    });
  }
  window.addEventListener("online", flush);
  flush();
})();
