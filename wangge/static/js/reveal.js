// 查看 on a register's detail page (a resident's ID number or phone, an enterprise's phone): the
// full value comes from the button's URL, which writes the access to the audit log.
"use strict";
// The buttons come disabled: one tapped before this script has run would do nothing.
document.querySelectorAll("button.reveal").forEach(function (btn) {
  btn.disabled = false;
  btn.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(btn.dataset.url, {method: "POST", headers: {"X-CSRFToken": token}})
      .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (res) {
        var target = document.getElementById("reveal-" + btn.dataset.field);
        if (res[0]) { target.textContent = res[1].value; btn.remove(); }
        else { btn.replaceWith(Object.assign(document.createElement("span"), {className: "error", textContent: res[1].detail})); }
      });
  });
});
