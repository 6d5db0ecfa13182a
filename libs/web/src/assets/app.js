// Behaviour every page shares; the pages work without it.

// Destructive forms (data-confirm) ask before they are sent.
document.querySelectorAll('form[data-confirm]').forEach(function (f) {
  f.addEventListener('submit', function (e) { if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault(); });
});

// A form that came back with errors puts the cursor on the first field to fix, or else on the
// message that says what went wrong, so keyboard and screen-reader users start where the problem is.
(function () {
  var first = document.querySelector('form [aria-invalid="true"]') || document.querySelector('main .error[role="alert"]');
  if (!first) return;
  if (!first.matches('input, select, textarea, button')) first.setAttribute('tabindex', '-1');
  first.focus();
})();
