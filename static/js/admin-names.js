/* Accessible names the admin's own widgets leave out.
 *
 * - An autocomplete (select2) field draws its own combobox, named by the chosen option: an
 *   empty one has no name. It gets the label of the select it stands for.
 * - The filter widget's search icon carries a label but no role (axe: aria-prohibited-attr);
 *   as an image, its label is allowed.
 */
(function () {
  "use strict";

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return (label && label.textContent.trim().replace(/:$/, "")) || select.getAttribute("aria-label") || "";
  }

  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var box = container && container.querySelector('.select2-selection[role="combobox"]');
      var name = labelOf(select);
      if (box && name) {
        box.setAttribute("aria-label", name);
        box.removeAttribute("aria-labelledby");
        var shown = box.querySelector(".select2-selection__rendered");
        if (shown) shown.setAttribute("aria-label", name);
      }
    });
    root.querySelectorAll(".help-tooltip.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function run() { nameComboboxes(document); }

  // Django draws these widgets once the document is read, and again in each row added: name
  // them whenever one appears.
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; run(); });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", run);
})();
