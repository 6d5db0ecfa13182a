// The stack map: a tool's flows are highlighted while the pointer is on its box or the keyboard focus
// is in it, and the map zooms and pans (buttons, keys on the map, Ctrl + wheel, dragging when zoomed).
// Zoom changes the SVG's viewBox, so the map keeps its place on the page and never scrolls sideways.
// Without this script the map still shows everything, and each box still links to its tool.
(function () {
  var wrap = document.getElementById('map');
  if (!wrap) return;
  var svgs = Array.prototype.slice.call(wrap.querySelectorAll('svg.stack-map'));
  var focusLine = document.querySelector('[data-map-focus]');
  var controls = document.querySelector('.map-controls');

  function clear(svg) {
    svg.classList.remove('focusing');
    svg.querySelectorAll('.hl, .partner, .current').forEach(function (el) {
      el.classList.remove('hl', 'partner', 'current');
    });
  }

  function highlight(svg, box) {
    clear(svg);
    if (!box) {
      if (focusLine) focusLine.textContent = '';
      return;
    }
    var key = box.getAttribute('data-box');
    var out = 0;
    var into = 0;
    svg.classList.add('focusing');
    box.classList.add('current');
    svg.querySelectorAll('.edge').forEach(function (edge) {
      var from = edge.getAttribute('data-from');
      var to = edge.getAttribute('data-to');
      if (from !== key && to !== key) return;
      edge.classList.add('hl');
      edge.parentNode.appendChild(edge); // drawn on top of the others
      if (from === key) out++;
      else into++;
      var other = svg.querySelector('.box[data-box="' + window.CSS.escape(from === key ? to : from) + '"]');
      if (other) other.classList.add('partner');
    });
    if (focusLine) {
      var title = box.querySelector('title');
      focusLine.textContent = (title ? title.textContent : '') + ' (' + out + ' outgoing, ' + into + ' incoming lines)';
    }
  }

  svgs.forEach(function (svg) {
    var box = function (el) {
      return el && el.closest ? el.closest('.box') : null;
    };
    svg.addEventListener('mouseover', function (event) {
      var target = box(event.target);
      if (target && !target.classList.contains('current')) highlight(svg, target);
    });
    svg.addEventListener('mouseleave', function () {
      var focused = box(document.activeElement);
      highlight(svg, focused && svg.contains(focused) ? focused : null);
    });
    svg.addEventListener('focusin', function (event) {
      var target = box(event.target);
      highlight(svg, target);
      if (target) keepInView(svg, target);
    });
    svg.addEventListener('focusout', function (event) {
      if (!box(event.relatedTarget) || !svg.contains(event.relatedTarget)) highlight(svg, null);
    });
  });

  // Zoom and pan: each map keeps its own view (the page shows one of them at a time).
  var MIN = 1;
  var MAX = 6;
  var views = svgs.map(function (svg) {
    var base = svg.viewBox.baseVal;
    return { svg: svg, width: base.width, height: base.height, scale: 1, cx: base.width / 2, cy: base.height / 2 };
  });

  function apply(view) {
    var viewW = view.width / view.scale;
    var viewH = view.height / view.scale;
    view.cx = Math.min(Math.max(view.cx, viewW / 2), view.width - viewW / 2);
    view.cy = Math.min(Math.max(view.cy, viewH / 2), view.height - viewH / 2);
    view.svg.setAttribute('viewBox', [view.cx - viewW / 2, view.cy - viewH / 2, viewW, viewH].join(' '));
    wrap.classList.toggle('zoomed', view.scale > 1);
  }
  function zoom(factor) {
    views.forEach(function (view) {
      view.scale = Math.min(MAX, Math.max(MIN, view.scale * factor));
      apply(view);
    });
  }
  function fit() {
    views.forEach(function (view) {
      view.scale = 1;
      apply(view);
    });
  }
  function pan(dx, dy) {
    views.forEach(function (view) {
      view.cx += (dx * view.width) / view.scale;
      view.cy += (dy * view.height) / view.scale;
      apply(view);
    });
  }
  function keepInView(svg, target) {
    var view = views.filter(function (candidate) {
      return candidate.svg === svg;
    })[0];
    if (!view || view.scale === 1) return;
    var rect = target.querySelector('rect:last-of-type');
    if (!rect) return;
    var centerX = rect.x.baseVal.value + rect.width.baseVal.value / 2;
    var centerY = rect.y.baseVal.value + rect.height.baseVal.value / 2;
    var viewW = view.width / view.scale;
    var viewH = view.height / view.scale;
    if (Math.abs(centerX - view.cx) > viewW / 2 - 40 || Math.abs(centerY - view.cy) > viewH / 2 - 30) {
      view.cx = centerX;
      view.cy = centerY;
      apply(view);
    }
  }

  var actions = {
    in: function () {
      zoom(1.4);
    },
    out: function () {
      zoom(1 / 1.4);
    },
    fit: fit,
    left: function () {
      pan(-0.2, 0);
    },
    right: function () {
      pan(0.2, 0);
    },
    up: function () {
      pan(0, -0.2);
    },
    down: function () {
      pan(0, 0.2);
    },
  };
  if (controls) {
    controls.hidden = false;
    controls.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-map]');
      if (button) actions[button.getAttribute('data-map')]();
    });
  }
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('aria-label', 'Stack map. Keys: + and − zoom, 0 fits, arrow keys pan when zoomed; Tab moves through the tools.');
  var keys = { '+': 'in', '=': 'in', '-': 'out', _: 'out', 0: 'fit' };
  var arrows = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
  wrap.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var action = keys[event.key] || (wrap.classList.contains('zoomed') ? arrows[event.key] : undefined);
    if (!action) return;
    event.preventDefault();
    actions[action]();
  });
  wrap.addEventListener(
    'wheel',
    function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2);
    },
    { passive: false },
  );
  // Dragging the background pans a zoomed map (a press on a box stays a click on its link).
  var drag = null;
  wrap.addEventListener('pointerdown', function (event) {
    if (!wrap.classList.contains('zoomed') || (event.target.closest && event.target.closest('a'))) return;
    drag = { x: event.clientX, y: event.clientY };
    wrap.setPointerCapture(event.pointerId);
  });
  wrap.addEventListener('pointermove', function (event) {
    if (!drag) return;
    views.forEach(function (view) {
      var shown = view.svg.getBoundingClientRect();
      if (!shown.width) return;
      view.cx -= ((event.clientX - drag.x) / shown.width) * (view.width / view.scale);
      view.cy -= ((event.clientY - drag.y) / shown.height) * (view.height / view.scale);
      apply(view);
    });
    drag = { x: event.clientX, y: event.clientY };
  });
  ['pointerup', 'pointercancel'].forEach(function (type) {
    wrap.addEventListener(type, function () {
      drag = null;
    });
  });
})();
