// The desk's keys on a case page: 1, 2, 3 take the model's suggestion of that rank; N says
// 不是这类 and opens the catalogue. Ignored while typing in a field.
(function () {
  var panel = document.getElementById("category-panel");
  if (!panel) return;
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key.toLowerCase();
    var button = panel.querySelector('[data-category-key="' + key + '"]');
    if (!button) return;
    event.preventDefault();
    if (key === "n") {
      var other = document.getElementById("category-other");
      other.open = true;
      document.getElementById("category-select").focus();
    } else {
      button.click();
    }
  });
})();
