/*
 * heard-tables.js shows the hint "Scroll sideways to see more columns" only
 * beside a table that is wider than its place. Each such table is inside a
 * focusable region (role="region", tabindex="0", aria-label) that scrolls
 * sideways, with the hint just before it:
 *   <p class="heard-scroll-hint" data-scroll-hint>...</p>
 *   <div class="scroll" role="region" tabindex="0" aria-label="...">
 * Without this script every hint stays shown, which is right for the wide
 * tables and harmless for the others.
 */
(function () {
  'use strict';

  function update() {
    var hints = document.querySelectorAll('[data-scroll-hint]');
    Array.prototype.forEach.call(hints, function (hint) {
      var region = hint.nextElementSibling;
      if (!region) {
        return;
      }
      hint.hidden = region.scrollWidth <= region.clientWidth + 1;
    });
  }

  var pending = false;
  function schedule() {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update();
    });
  }

  update();
  window.addEventListener('resize', schedule);
  window.addEventListener('load', update);
})();
