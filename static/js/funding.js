// Funding pages: type-ahead for long lists (organisations, people) on the allocation form.
// Loaded from {% block scripts %}; no inline script (Content-Security-Policy).
(function () {
  "use strict";

  function enhance(root) {
    if (!window.TomSelect) return;
    root.querySelectorAll("select.searchable-select").forEach(function (select) {
      if (select.tomselect) return;
      new TomSelect(select, {
        maxOptions: 50,
        allowEmptyOption: true,
        placeholder: "Type to search…",
      });
      // Tom Select's combobox (labelled by the field's <label>) stands in for the
      // <select>, which stays only to submit the value.
      select.setAttribute("aria-hidden", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();
