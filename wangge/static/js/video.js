// A camera's live view: HLS through hls.js (or the browser's own player where it plays HLS),
// HTTP-FLV through mpegts.js; a frame taken from the player is sent as 截图立案 or 复核.
"use strict";
(function () {
  var video = document.getElementById("live");
  if (!video) { return; }
  var status = document.getElementById("live-status");
  var form = document.getElementById("snapshot-form");
  var result = document.getElementById("snapshot-result");
  var src = video.dataset.src;
  var words = JSON.parse(document.getElementById("video-words").textContent);

  function say(text) { status.textContent = text; }

  function ready() {
    say(words.playing);
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
  }

  video.addEventListener("playing", ready, {once: true});

  if (video.dataset.kind === "flv") {
    if (window.mpegts && window.mpegts.isSupported()) {
      var flv = window.mpegts.createPlayer({type: "flv", isLive: true, url: src});
      flv.attachMediaElement(video);
      flv.on(window.mpegts.Events.ERROR, function () { say(words.failed); });
      flv.load();
      video.play().catch(function () { say(words.tap); });
    } else {
      say(words.noFlv);
    }
  } else if (window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls({liveDurationInfinity: true});
    hls.on(window.Hls.Events.ERROR, function (_e, data) {
      if (data.fatal) { say(words.failed); }
    });
    hls.loadSource(src);
    hls.attachMedia(video);
    hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
      video.play().catch(function () { say(words.tap); });
    });
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = src;
    video.play().catch(function () { say(words.tap); });
  } else {
    say(words.noPlayer);
  }

  var purpose = "case";
  form.querySelectorAll("button[type=submit]").forEach(function (b) {
    b.addEventListener("click", function () { purpose = b.value; });
  });

  // One key per frame until an answer comes: a tap again after a lost reply is the same frame,
  // answered as the first time (the server keeps the answer under the key), never a second case.
  var key = null;
  var buttons = form.querySelectorAll("button[type=submit]");
  function busy(on) { buttons.forEach(function (b) { b.disabled = on; }); }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!video.videoWidth) { result.textContent = words.notLoaded; return; }
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(function (blob) {
      var body = new FormData(form);
      body.set("purpose", purpose);
      body.append("image", blob, "frame.jpg");
      key = key || (window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
      var stop = new AbortController();
      var timer = setTimeout(function () { stop.abort(); }, 30000);
      busy(true);
      result.textContent = words.uploading;
      fetch(form.action, {
        method: "POST", body: body, signal: stop.signal,
        headers: {"X-CSRFToken": body.get("csrfmiddlewaretoken"), "Idempotency-Key": key}
      })
        .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
        .then(function (res) {
          key = null;
          result.textContent = res[1].detail;
          if (res[0] && res[1].url) {
            var link = document.createElement("a");
            link.href = res[1].url;
            link.textContent = words.openCase;
            result.append(" ", link);
          }
        })
        .catch(function () { result.textContent = words.offline; })
        .finally(function () { clearTimeout(timer); busy(false); });
    }, "image/jpeg", 0.85);
  });
})();
