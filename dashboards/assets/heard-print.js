/*
 * heard-print.js makes a page's Print button work: the button is written
 * hidden (without JavaScript it could do nothing; the page says to use the
 * browser's own Print command instead), shown here, and opens the
 * browser's print dialog. A script file of its own, since the pages'
 * Content-Security-Policy allows no inline script.
 *   <button type="button" data-print hidden>Print</button>
 */
(function () {
  'use strict';

  function init() {
    var buttons = document.querySelectorAll('button[data-print]');
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        window.print();
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
