// Actions: owners type-ahead (Tom Select) and the "due by a date" field's visibility.
// Loaded on full pages and inside htmx fragments, so it guards against running twice.
(function () {
  if (window.minutebookActions) { return; }
  window.minutebookActions = true;

  var loading = false;

  // Fragments embedded in other pages may arrive before Tom Select: fetch it once.
  function loadTomSelect(select) {
    if (loading) { return; }
    loading = true;
    if (select.dataset.tomSelectCss && !document.querySelector('link[href="' + select.dataset.tomSelectCss + '"]')) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = select.dataset.tomSelectCss;
      document.head.appendChild(link);
    }
    var script = document.createElement("script");
    script.src = select.dataset.tomSelectJs;
    script.onload = function () { enhanceOwners(document); };
    document.head.appendChild(script);
  }

  function enhanceOwners(root) {
    var selects = root.querySelectorAll("select[data-owners]");
    if (!selects.length) { return; }
    if (!window.TomSelect) { loadTomSelect(selects[0]); return; }
    selects.forEach(function (select) {
      if (select.tomselect) { return; }
      var label = document.querySelector('label[for="' + select.id + '"]');
      var config = {
        plugins: ["remove_button"],
        maxOptions: 200,
        placeholder: "Type a name…",
        hideSelected: true,
        closeAfterSelect: true,
      };
      if (select.dataset.peopleUrl) { askTheServer(config, select.dataset.peopleUrl); }
      var ts = new TomSelect(select, config);
      // "All members" and named owners exclude each other.
      ts.on("item_add", function (value) {
        var items = ts.items.slice();
        if (value === "all") {
          items.forEach(function (v) { if (v !== "all") { ts.removeItem(v, true); } });
        } else if (items.indexOf("all") !== -1) {
          ts.removeItem("all", true);
        }
      });
      // Tom Select points the label at its own input; the original select stays in the
      // form for submission only, so keep it out of the accessibility tree.
      select.setAttribute("aria-hidden", "true");
      if (label && ts.control_input && !ts.control_input.getAttribute("aria-label")) {
        ts.control_input.setAttribute("aria-label", label.textContent.replace("*", "").trim());
      }
    });
  }

  // The meeting's people search decides who matches and in what order (initials such as
  // "MG" or "JGr", people present first): the list shows its answer as it comes.
  function askTheServer(config, url) {
    var ranks = {};  // query -> {person id: place in the answer}
    config.valueField = "value";
    config.labelField = "text";
    config.load = function (query, callback) {
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          ranks[query] = {};
          data.results.forEach(function (person, place) { ranks[query][String(person.value)] = place; });
          callback(data.results.map(function (p) { return { value: String(p.value), text: p.text }; }));
        })
        .catch(function () { callback(); });
    };
    config.score = function (query) {
      var q = query.trim().toLowerCase();
      return function (option) {
        if (option.value === "all") { return "all members".indexOf(q) !== -1 ? 1 : 0; }
        var rank = (ranks[query] || {})[option.value];
        return rank === undefined ? 0 : 1 / (2 + rank);
      };
    };
  }

  function toggleDue(root) {
    root.querySelectorAll("[data-due]").forEach(function (group) {
      var dateRow = group.querySelector("[data-due-date]");
      if (!dateRow) { return; }
      function sync() {
        var checked = group.querySelector('input[name$="due_kind"]:checked');
        dateRow.hidden = !(checked && checked.value === "date");
      }
      group.querySelectorAll('input[name$="due_kind"]').forEach(function (radio) {
        radio.addEventListener("change", sync);
      });
      sync();
    });
  }

  function init(root) {
    enhanceOwners(root);
    toggleDue(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // htmx swaps in new fragments (add-action form, matters arising): enhance them too.
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  if (document.readyState !== "loading") { init(document); }
})();
