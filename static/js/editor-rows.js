/* The editor's page: rows added in place, and the list of problems.
 *
 * - The list of problems at the top of the page takes the focus when the page opens; each
 *   of its links moves the focus to the field it names (a link alone only scrolls).
 * - A menu of another part's rows (an indicator's outcome, evidence's source) is redrawn
 *   when rows of that part are added or named. The new menu keeps the option chosen in
 *   the meantime, if it still offers it.
 * The page works without this file; htmx itself focuses the first field of an added row
 * (it carries ``autofocus``).
 */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    var legend = target.closest("fieldset");
    var label = target.id && document.querySelector('label[for="' + target.id + '"]');
    (label || legend || target).scrollIntoView();
    if (target.matches("input, select, textarea, button")) {
      target.focus({ preventScroll: true });
    } else {
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus({ preventScroll: true });
    }
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var current = event.detail.target;
    var incoming = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (!current || !incoming || current.tagName !== "SELECT" || incoming.tagName !== "SELECT") {
      return;
    }
    var chosen = current.value;
    var options = Array.prototype.slice.call(incoming.options);
    if (!options.some(function (option) { return option.value === chosen; })) {
      return;
    }
    options.forEach(function (option) {
      option.defaultSelected = option.value === chosen;
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
