// Request form: shows the fields for the chosen request type and, as soon as a subcategory is
// picked, the catalog tools that already cover it (possible overlap). Works without it too.
(function () {
  var form = document.getElementById('request-form');
  if (!form) return;
  var type = document.getElementById('q-type');
  var sub = document.getElementById('q-sub');
  var box = document.getElementById('overlaps');
  function toggle() {
    if (!type) return;
    var isNew = type.value === 'NEW_TOOL';
    form.querySelectorAll('.for-new').forEach(function (el) {
      el.hidden = !isNew;
    });
    form.querySelectorAll('.for-existing').forEach(function (el) {
      el.hidden = isNew;
    });
  }
  function overlaps() {
    if (!sub || !box) return;
    if (!sub.value) {
      box.hidden = true;
      return;
    }
    fetch('/requests/overlaps?subcategoryId=' + encodeURIComponent(sub.value), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
      .then(function (response) {
        return response.ok ? response.json() : { items: [] };
      })
      .then(function (data) {
        box.textContent = '';
        // A possible overlap is a warning; "nothing covers it yet" is plain information.
        box.className = data.items.length ? 'warning' : 'muted';
        if (!data.items.length) {
          box.textContent = 'No tool in the catalog covers this subcategory yet.';
          box.hidden = false;
          return;
        }
        box.appendChild(document.createTextNode('Already in the catalog for this subcategory (possible overlap): '));
        data.items.forEach(function (tool, index) {
          var link = document.createElement('a');
          link.href = '/tools/' + tool.id;
          link.textContent = tool.name + ' (' + tool.itApproval.replace(/_/g, ' ').toLowerCase() + ')';
          if (index) box.appendChild(document.createTextNode(', '));
          box.appendChild(link);
        });
        box.hidden = false;
      })
      .catch(function () {
        box.hidden = true;
      });
  }
  if (type) type.addEventListener('change', toggle);
  if (sub) sub.addEventListener('change', overlaps);
  toggle();
  overlaps();
})();
