// The open patrol on the worker's phone: positions go into the outbox's track buffer (they
// leave it only once the server has acknowledged them), findings go through the outbox form.
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("patrol-config").textContent);
  const outbox = window.WanggeOutbox;
  const status = document.getElementById("gps-status");
  const count = document.getElementById("point-count");

  const fixed = document.getElementById("fixed");
  const fixFields = document.getElementById("fix-fields");
  function toggle() { fixFields.hidden = !fixed.checked; }
  fixed.addEventListener("change", toggle);
  // The outbox empties the form once a finding is saved; the fix fields follow the checkbox.
  document.getElementById("finding-form").addEventListener("reset", () => setTimeout(toggle));
  toggle();

  if (outbox) {
    outbox.on((event) => {
      if (event.type === "track" && event.url === cfg.track && event.kept) {
        count.textContent = parseInt(count.textContent, 10) + event.kept;
      }
    });
  }

  // Ending the patrol is an ordinary form: first deliver what the phone still holds for it.
  document.getElementById("end-form").addEventListener("submit", async (ev) => {
    if (!outbox || ev.defaultPrevented) return;
    const form = ev.currentTarget;
    if (form.dataset.flushed === "1") return;
    ev.preventDefault();
    await outbox.flush();
    const left = await outbox.pendingPoints(cfg.track);
    if (left) {
      let note = form.querySelector(".error");
      if (!note) {
        note = document.createElement("div");
        note.className = "error";
        note.setAttribute("role", "alert");
        form.prepend(note);
      }
      note.textContent = cfg.ending.replace("%(n)s", left);
      return;
    }
    form.dataset.flushed = "1";
    form.requestSubmit(ev.submitter || undefined);
  });

  if (!navigator.geolocation) { status.textContent = cfg.noFix; return; }
  navigator.geolocation.watchPosition((pos) => {
    const lon = Number(pos.coords.longitude.toFixed(6)), lat = Number(pos.coords.latitude.toFixed(6));
    document.getElementById("lon").value = lon;
    document.getElementById("lat").value = lat;
    status.textContent = cfg.located;
    // Stamped when received: a phone may hand back a cached fix older than the patrol.
    if (outbox) outbox.track(cfg.track, new Date().toISOString(), lon, lat);
  }, () => { status.textContent = cfg.noFix; }, { enableHighAccuracy: true, timeout: 10000 });
})();
