// 小原帮办 chat: talks to /api/v1/assistant/* with the session cookie and the CSRF token.
(function () {
  "use strict";
  var root = document.getElementById("assistant");
  if (!root) return;
  var texts = JSON.parse(document.getElementById("assistant-texts").textContent);
  var log = document.getElementById("assistant-log");
  var form = document.getElementById("assistant-form");
  var input = document.getElementById("assistant-question");
  var handoffBox = document.getElementById("assistant-handoff");
  var consent = document.getElementById("handoff-consent");
  var handoffSend = document.getElementById("handoff-send");
  var sessionId = null;

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // Only the server's own `detail` is shown as it is: no signal, no answer or a reply cut off
  // (a proxy's HTML page, half a body) say the page's Chinese error, not the browser's English.
  function post(url, body) {
    function broken() { throw new Error(texts.error); }
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.detail || texts.error);
        return data;
      }, broken);
    }, broken);
  }

  function enable(box) {
    box.querySelectorAll("button").forEach(function (x) { x.disabled = false; });
  }

  function add(cls, text) {
    var li = document.createElement("li");
    li.className = "msg " + cls;
    if (text) li.textContent = text;
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
    return li;
  }

  function showHandoff() {
    handoffBox.hidden = false;
  }

  function feedbackButtons(li) {
    var bar = document.createElement("div");
    bar.className = "feedback";
    [[true, texts.helpful], [false, texts.unhelpful]].forEach(function (pair) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn small";
      b.textContent = pair[1];
      b.addEventListener("click", function () {
        bar.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
        post(root.dataset.feedback, { session_id: sessionId, helpful: pair[0] }).then(function () {
          add("bot", pair[0] ? texts.thanks : texts.sorry);
          if (!pair[0]) showHandoff();
        }, function (e) { enable(bar); fail(e); });
      });
      bar.appendChild(b);
    });
    li.appendChild(bar);
  }

  // Items to tap (the choices, or 您是不是想问 under an answer or beside a hand-off): a tap is
  // answered with that item, and the server logs it as what the question meant.
  function itemButtons(li, heading, items, cls) {
    var box = document.createElement("div");
    box.className = "item-list " + cls;
    if (heading) {
      var p = document.createElement("p");
      p.className = "item-head";
      p.textContent = heading;
      box.appendChild(p);
    }
    items.forEach(function (item) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn choice";
      b.textContent = item.question;
      b.addEventListener("click", function () {
        box.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
        add("user", item.question);
        post(root.dataset.choose, { session_id: sessionId, id: item.id }).then(render, function (e) {
          enable(box);  // chosen again once the network is back
          fail(e);
        });
      });
      box.appendChild(b);
    });
    li.appendChild(box);
  }

  function render(data) {
    sessionId = data.session_id;
    if (data.answer) {
      var li = add("bot answer");
      var h = document.createElement("strong");
      h.textContent = data.matched.question;
      var p = document.createElement("p");
      p.textContent = data.answer;
      li.appendChild(h);
      li.appendChild(p);
      if (data.guide && data.guide.length) {
        var details = document.createElement("details");
        var summary = document.createElement("summary");
        summary.textContent = texts.guide;
        details.appendChild(summary);
        var dl = document.createElement("dl");
        data.guide.forEach(function (g) {
          var dt = document.createElement("dt");
          dt.textContent = g.label;
          var dd = document.createElement("dd");
          dd.textContent = g.value;
          dl.appendChild(dt);
          dl.appendChild(dd);
        });
        details.appendChild(dl);
        li.appendChild(details);
      }
      feedbackButtons(li);
      if (data.alternatives && data.alternatives.length) {
        itemButtons(li, texts.alternatives, data.alternatives, "alt-list");
      }
    } else if (data.choices && data.choices.length) {
      var c = add("bot choices", texts.choices);
      itemButtons(c, "", data.choices, "choice-list");
      // None of the three may be it: a person stays one tap away.
      showHandoff();
    } else {
      // A problem for a person to fix, or a question nothing in the base answers.
      var none = add("bot none", data.complaint ? texts.complaint : texts.none);
      if (data.alternatives && data.alternatives.length) {
        itemButtons(none, texts.alternatives, data.alternatives, "alt-list");
      }
      showHandoff();
    }
    if (data.handoff) showHandoff();
  }

  function fail(e) { add("bot error", e.message || texts.error); }

  function ask(question) {
    question = question.trim();
    if (!question) return;
    add("user", question);
    var body = { question: question };
    if (sessionId) body.session_id = sessionId;
    post(root.dataset.ask, body).then(render, function (e) {
      fail(e);
      // The question back in the box, to send again with one tap, unless another is being typed.
      if (!input.value) input.value = question;
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    ask(input.value);
    input.value = "";
  });
  root.querySelectorAll("[data-quick]").forEach(function (b) {
    b.addEventListener("click", function () { ask(b.dataset.quick); });
  });
  consent.addEventListener("change", function () { handoffSend.disabled = !consent.checked; });
  handoffSend.addEventListener("click", function () {
    handoffSend.disabled = true;
    post(root.dataset.handoff, {
      session_id: sessionId,
      consent: consent.checked,
      address: document.getElementById("handoff-address").value
    }).then(function (data) {
      handoffBox.hidden = true;
      add("bot handed", texts.handed.replace("%(number)s", data.number || data.case_id)
        .replace("%(status)s", data.status_label));
    }, function (e) { handoffSend.disabled = false; fail(e); });
  });
})();
