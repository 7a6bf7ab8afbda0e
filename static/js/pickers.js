/* Searchable pickers for the editor's long menus (sectors, countries, organisations,
 * languages): each <select data-picker> becomes a Tom Select control where one types part of
 * a name to find it. Without this script (or without Tom Select, see the Makefile's assets)
 * the plain menus stay, and work the same.
 *
 * - The control's search box takes the select's label (Tom Select points the label at it)
 *   and its description (help text, notes), so that it is announced as the field.
 * - The options keep the order the server gave them (by name, in the page's language) until
 *   one types; accents do not count when searching.
 * - Rows added later (htmx, or a row copied from another) get their pickers as they appear.
 */
(function () {
  "use strict";

  if (typeof window.TomSelect !== "function") return;

  var SELECTOR = "select[data-picker]";

  function usable(select) {
    // A row's template (its name holds Django's __prefix__) is not a field yet.
    return select.name.indexOf("__prefix__") === -1 && !select.disabled;
  }

  function forgetCopiedPicker(select) {
    // A select copied with its row carries the other row's control: drop the copy.
    var wrapper = select.nextElementSibling;
    if (wrapper && wrapper.classList.contains("ts-wrapper")) wrapper.remove();
    select.classList.remove("tomselected", "ts-hidden-accessible");
    select.removeAttribute("tabindex");
    select.removeAttribute("hidden");
    select.removeAttribute("aria-hidden");
  }

  function describe(select, picker) {
    var input = picker.control_input;
    // The select stays in the page, out of sight and out of the tab order, for the form to
    // send; the picker's search box stands for it (and has its label): only one is heard.
    select.setAttribute("aria-hidden", "true");
    var described = select.getAttribute("aria-describedby");
    if (described) input.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid") === "true") input.setAttribute("aria-invalid", "true");
    if (select.required) input.setAttribute("aria-required", "true");
  }

  function enhance(select) {
    if (select.tomselect) return;
    if (select.classList.contains("tomselected")) forgetCopiedPicker(select);
    if (!usable(select)) return;
    var multiple = select.multiple;
    var picker = new window.TomSelect(select, {
      maxOptions: null,
      allowEmptyOption: !multiple,
      // The words come from the page, in its language (data-picker-remove, -none).
      plugins: multiple ? { remove_button: { title: select.dataset.pickerRemove || "Remove" } } : {},
      hidePlaceholder: false,
      closeAfterSelect: !multiple,
      // Keep the server's order (by name) until a search ranks the options.
      sortField: [{ field: "$score" }, { field: "$order" }],
      render: {
        no_results: function () {
          var note = document.createElement("div");
          note.className = "no-results";
          note.textContent = select.dataset.pickerNone || "No results";
          return note;
        },
      },
      onItemAdd: function () {
        if (multiple) this.setTextboxValue("");
      },
    });
    describe(select, picker);
  }

  function enhanceWithin(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches(SELECTOR)) enhance(root);
    root.querySelectorAll(SELECTOR).forEach(enhance);
  }

  function start() {
    enhanceWithin(document);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      enhanceWithin(event.target);
    });
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && !node.classList.contains("ts-wrapper")) enhanceWithin(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
