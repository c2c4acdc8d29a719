// Names the admin's widgets leave out, from the labels on the page: each field of a
// tabular inline row (whose label is only its column heading), the date and time halves
// of a date-time field, the autocomplete boxes, and the filter boxes' help icons.
(function () {
  "use strict";

  function labelOf(id) {
    const label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameTabularFields(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      const headings = Array.from(table.querySelectorAll("thead th")).map(function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, n) {
        Array.from(row.children).forEach(function (cell, column) {
          const heading = headings[column];
          if (!heading) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (!labelOf(field.id) && !field.hasAttribute("aria-label")) {
              field.setAttribute("aria-label", heading + ", row " + (n + 1));
            }
          });
        });
      });
    });
  }

  function nameDateTimes(root) {
    root.querySelectorAll("p.datetime").forEach(function (p) {
      const inputs = p.querySelectorAll("input");
      if (inputs.length !== 2) return;
      const field = labelOf(inputs[0].id.replace(/_0$/, "")) ||
        inputs[0].getAttribute("aria-label") || "";
      ["Date", "Time"].forEach(function (half, i) {
        if (!labelOf(inputs[i].id)) {
          inputs[i].setAttribute("aria-label", (field ? field + ": " : "") + half);
        }
      });
    });
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const box = select.parentElement.querySelector(".select2-selection[role=combobox]");
      const name = labelOf(select.id) || select.getAttribute("aria-label");
      if (box && name) box.setAttribute("aria-label", name);
      const list = select.parentElement.querySelector(".select2-selection__rendered[role=textbox]");
      if (list && name) list.setAttribute("aria-label", name);
    });
  }

  function nameHelpIcons(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function fix(root) {
    nameTabularFields(root);
    nameDateTimes(root);
    nameAutocompletes(root);
    nameHelpIcons(root);
  }

  // After Django's own scripts have built their widgets (on load), and for each inline
  // row added later.
  window.addEventListener("load", function () {
    setTimeout(function () { fix(document); }, 0);
  });
  document.addEventListener("formset:added", function (event) { fix(event.target); });
})();
