// The consent box of a form that takes personal data. A submit without it is stopped here, on
// the phone, so nothing typed is lost (the ID number included, which the page never echoes
// back); the server refuses the same submit in the same words when this script does not run.
(function () {
  document.querySelectorAll('input[data-consent-box]').forEach(function (box) {
    var form = box.form;
    var slot = document.getElementById(box.getAttribute('aria-describedby'));
    if (!form || !slot || form.hasAttribute('data-consent-watched')) return;
    form.setAttribute('data-consent-watched', '');
    form.addEventListener('submit', function (event) {
      if (box.checked) return;
      event.preventDefault();
      slot.textContent = box.getAttribute('data-consent-message');
      slot.hidden = false;
      box.setAttribute('aria-invalid', 'true');
      box.focus();
    });
    box.addEventListener('change', function () {
      if (!box.checked) return;
      slot.hidden = true;
      slot.textContent = '';
      box.removeAttribute('aria-invalid');
    });
  });
})();
