// The 原点在线 frame on every resident page: a back control that returns to where one came from
// (or to the home page when the page was opened from a link outside the app), and the service
// worker that keeps the shell and the pages last seen readable without signal.
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
    navigator.serviceWorker.register("/m/sw.js", { scope: "/m/" }).catch(() => {});
  }
})();
