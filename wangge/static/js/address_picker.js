// Address in, not codes: the person types where the building is, the resolver
// (/api/v1/grids/resolve-address) suggests buildings, and the chosen one's code goes into the
// hidden `building` field. Without script the typed address is resolved on the server.
(function () {
  "use strict";
  document.querySelectorAll("[data-address-picker]").forEach(function (box) {
    var input = box.querySelector("input[name=building_address]");
    var code = box.querySelector("input[name=building]");
    var list = box.querySelector("[role=listbox]");
    var picked = box.querySelector("#building-picked");
    var url = box.getAttribute("data-resolve-url");
    var timer = null;
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
    function choose(c) {
      input.value = c.address;
      code.value = c.code;
      picked.textContent = "已选择：" + c.address;
      box.classList.remove("has-error");
      input.removeAttribute("aria-invalid");
      close();
    }
    function show(options, message) {
      list.innerHTML = "";
      options.forEach(function (c, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = "building-option-" + i;
        li.tabIndex = -1;
        li.textContent = c.address;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(c); });
        li.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter") { ev.preventDefault(); choose(c); input.focus(); }
          else if (ev.key === "ArrowDown" && li.nextSibling) { ev.preventDefault(); li.nextSibling.focus(); }
          else if (ev.key === "ArrowUp") { ev.preventDefault(); (li.previousSibling || input).focus(); }
          else if (ev.key === "Escape") { close(); input.focus(); }
        });
        list.appendChild(li);
      });
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      if (!code.value) picked.textContent = message;
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2 || q === asked) return;
      asked = q;
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || input.value.trim() !== q) return;
          var options = data.candidates.slice();
          if (data.building && !options.some(function (c) { return c.code === data.building.code; })) {
            options.unshift({ code: data.building.code, address: data.building.address });
          }
          show(options, options.length ? "请从候选地址中选择一栋楼" : data.message);
        })
        .catch(function () { picked.textContent = "暂时无法获取候选地址，提交时将按所填地址匹配"; });
    }
    input.addEventListener("input", function () {
      code.value = "";  // typing again un-picks the building
      picked.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && !list.hidden && list.firstChild) { ev.preventDefault(); list.firstChild.focus(); }
      else if (ev.key === "Escape") close();
    });
    input.addEventListener("blur", function () { setTimeout(function () {
      if (!box.contains(document.activeElement)) close();
    }, 150); });
    if (code.value && input.value) picked.textContent = "已选择：" + input.value;
  });
})();
