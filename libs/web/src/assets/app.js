// Behaviour every page shares; the pages work without it.

// Destructive forms (data-confirm) ask before they are sent.
document.querySelectorAll('form[data-confirm]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
  });
});

// A form that came back with errors puts the cursor on the first field to fix, or else on the
// message that says what went wrong, so keyboard and screen-reader users start where the problem is.
(function () {
  var first = document.querySelector('form [aria-invalid="true"]') || document.querySelector('main .error[role="alert"]');
  if (!first) return;
  if (!first.matches('input, select, textarea, button')) first.setAttribute('tabindex', '-1');
  first.focus();
})();

// A table box that scrolls sideways (a wide table at an in-between width) can be reached and scrolled
// from the keyboard: it becomes a focusable, named region while it overflows, and stops being one
// when it fits again (phone width shows tables as cards, wide screens show them whole).
(function () {
  var boxes = document.querySelectorAll('.table-wrap');
  if (!boxes.length) return;
  function nameOf(box) {
    var section = box.closest('section');
    var heading = (section && section.querySelector('h2, h3')) || document.querySelector('main h1');
    return (heading ? heading.textContent.trim() + ': ' : '') + 'table, scrolls sideways';
  }
  function update() {
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', nameOf(box));
      } else if (box.getAttribute('role') === 'region') {
        box.removeAttribute('tabindex');
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
      }
    });
  }
  update();
  window.addEventListener('resize', update);
})();

// A copy button (data-copy="<input id>") puts that field's text on the clipboard and says so; without
// the clipboard API (or scripts) the field stays selectable by hand.
document.querySelectorAll('button[data-copy]').forEach(function (button) {
  var id = button.getAttribute('data-copy');
  var field = document.getElementById(id);
  var status = document.querySelector('[data-copy-status="' + id + '"]');
  if (!field) return;
  button.addEventListener('click', function () {
    field.select();
    var done = function () {
      if (status) status.textContent = 'Copied to the clipboard.';
    };
    var clipboard = window.navigator.clipboard;
    if (clipboard && clipboard.writeText) {
      clipboard.writeText(field.value).then(done, function () {
        if (status) status.textContent = 'Select the token and copy it (Ctrl+C / Cmd+C).';
      });
    } else {
      document.execCommand('copy');
      done();
    }
  });
});
