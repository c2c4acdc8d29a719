// Minutebook's own behaviour; no inline scripts anywhere (Content-Security-Policy).

// A form in its error state opens with its error summary focused (the GOV.UK pattern):
// a screen reader reads it out, and Tab goes on to the links to each field in error.
(function () {
  "use strict";
  function focusSummary(root) {
    const box = (root.matches && root.matches("[data-error-summary]")) ? root : root.querySelector("[data-error-summary]");
    if (box) box.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusSummary(event.detail.elt); });
  // A link in the summary puts the caret in its field, not just scrolls to it.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    const details = field.closest("details");
    if (details) details.open = true;
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();
