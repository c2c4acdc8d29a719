// The secretary's meeting screen: autosave that never loses typed text, reordering by
// drag or keyboard, and people type-ahead. Loaded only on that screen (no inline scripts).
(function () {
  "use strict";
  const screen = document.getElementById("meeting-screen");
  if (!screen || !window.htmx) return;

  // 409 (conflict: both versions) and 422 (refused, with a message) carry fragments to show.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: true },
  ];

  // Signing in again in another tab changes the CSRF token: always send the current one.
  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }
  document.body.addEventListener("htmx:configRequest", function (event) {
    const token = csrfToken();
    if (token) event.detail.headers["X-CSRFToken"] = token;
  });

  // --- drafts in this browser: typed text survives a failed save or a closed tab -------
  const draftKey = (id) => "minutebook:draft:item:" + id;
  const byId = (prefix, id) => document.getElementById(prefix + id);

  function readDraft(id) {
    try {
      return JSON.parse(localStorage.getItem(draftKey(id)));
    } catch (e) {
      return null;
    }
  }
  function storeDraft(textarea) {
    const id = textarea.dataset.item;
    const version = byId("version-", id);
    try {
      localStorage.setItem(
        draftKey(id),
        JSON.stringify({ text: textarea.value, version: version ? version.value : "", at: Date.now() })
      );
    } catch (e) {
      // Private browsing or a full store: the text is still in the page.
    }
  }
  function dropDraft(id) {
    try {
      localStorage.removeItem(draftKey(id));
    } catch (e) {
      /* nothing stored */
    }
  }

  function showStatus(id, className, text, withRetry) {
    const status = byId("save-status-", id);
    if (!status) return;
    status.replaceChildren();
    const span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    status.appendChild(span);
    if (withRetry) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-danger ms-2 py-0";
      button.dataset.retry = id;
      button.textContent = "Retry now";
      status.appendChild(button);
    }
    return status;
  }

  screen.addEventListener("input", function (event) {
    const textarea = event.target.closest("textarea[data-autosave]");
    if (!textarea) return;
    storeDraft(textarea);
    const status = byId("save-status-", textarea.dataset.item);
    const busy = status && (status.querySelector(".conflict") || status.dataset.failing);
    if (!busy) showStatus(textarea.dataset.item, "text-secondary", "Unsaved changes…");
  });

  // --- failed saves: say so plainly, keep the text, retry with back-off ----------------
  const retries = {};

  function minutesTextarea(element) {
    const form = element && element.closest && element.closest(".minutes-form");
    return form ? form.querySelector("textarea[data-autosave]") : null;
  }

  function resend(id) {
    const textarea = byId("minutes-", id);
    if (!textarea) return;
    const form = textarea.closest(".minutes-form");
    if (form.dataset.frozen) form.requestSubmit();
    else htmx.trigger(textarea, "retry");
  }

  function failureMessage(xhr) {
    if (!xhr || !xhr.status) return "Not saved: the connection to the server was lost.";
    if (xhr.status === 401) return "Not saved: your session has expired. Sign in again in a new tab (the link is in the menu); this page will then save your text.";
    if (xhr.status === 403) return "Not saved: the server refused the change (403). Sign in again in a new tab if your session ended.";
    if (xhr.status === 404) return "Not saved: this item no longer exists on the server.";
    if (xhr.status >= 500) return "Not saved: the server had a problem (error " + xhr.status + ").";
    return "Not saved (error " + xhr.status + ").";
  }

  // Any other change that failed: say so at the top; the form still holds what was typed.
  function otherFailed(event) {
    const region = document.getElementById("screen-errors");
    if (!region) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible d-flex gap-2 align-items-start";
    alert.setAttribute("role", "alert");
    const text = document.createElement("span");
    text.textContent =
      failureMessage(event.detail.xhr).replace("Not saved", "That change was not saved") +
      " What you typed is still on the page: try again.";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("aria-label", "Dismiss");
    close.setAttribute("data-bs-dismiss", "alert");
    alert.append(text, close);
    region.replaceChildren(alert);
  }

  // An embedded fragment (actions, matters arising) that failed to load is fetched again.
  function fragmentFailed(element) {
    const tries = Number(element.dataset.tries || 0) + 1;
    element.dataset.tries = tries;
    if (tries <= 3) {
      setTimeout(() => htmx.trigger(element, "reload"), 1000 * tries);
      return;
    }
    const note = document.createElement("p");
    note.className = "small text-danger mb-0";
    note.setAttribute("role", "alert");
    note.textContent = "The " + element.dataset.fragment + " could not be loaded. Reload the page to try again.";
    element.replaceChildren(note);
  }

  function saveFailed(event) {
    const fragment = event.detail.elt.closest && event.detail.elt.closest("[data-fragment]");
    if (fragment && event.detail.elt === fragment) {
      fragmentFailed(fragment);
      return;
    }
    const textarea = minutesTextarea(event.detail.elt);
    if (!textarea) {
      otherFailed(event);
      return;
    }
    const id = textarea.dataset.item;
    storeDraft(textarea);
    const attempt = ((retries[id] && retries[id].attempt) || 0) + 1;
    clearTimeout(retries[id] && retries[id].timer);
    const seconds = Math.min(30, 2 ** attempt);
    const status = showStatus(
      id,
      "text-danger",
      failureMessage(event.detail.xhr) + " Your text is kept in this page. Trying again in " + seconds + " seconds.",
      true
    );
    if (status) {
      status.dataset.failing = "1";
      status.setAttribute("role", "alert");
    }
    retries[id] = { attempt: attempt, timer: setTimeout(() => resend(id), seconds * 1000) };
  }
  document.body.addEventListener("htmx:responseError", saveFailed);
  document.body.addEventListener("htmx:sendError", saveFailed);
  document.body.addEventListener("htmx:timeout", saveFailed);

  document.body.addEventListener("htmx:afterRequest", function (event) {
    const xhr = event.detail.xhr;
    const textarea = minutesTextarea(event.detail.elt);
    if (!textarea || !xhr || xhr.status !== 200) return;
    const id = textarea.dataset.item;
    clearTimeout(retries[id] && retries[id].timer);
    delete retries[id];
    const status = byId("save-status-", id);
    if (status) {
      delete status.dataset.failing;
      status.setAttribute("role", "status");
    }
    // Only forget the draft if nothing was typed after this save was sent.
    const draft = readDraft(id);
    const sent = event.detail.requestConfig && event.detail.requestConfig.parameters;
    const sentText = sent && (sent.get ? sent.get("minutes") : sent.minutes);
    if (!draft || draft.text === sentText || draft.text === textarea.value) dropDraft(id);
  });

  // Text typed earlier that never reached the server is put back and saved.
  function restoreDrafts(root) {
    root.querySelectorAll("textarea[data-autosave]").forEach(function (textarea) {
      const id = textarea.dataset.item;
      const draft = readDraft(id);
      if (!draft) return;
      if (draft.text === textarea.value) {
        dropDraft(id);
        return;
      }
      textarea.value = draft.text;
      // The version the text was typed against: a change made elsewhere since is a conflict.
      const version = byId("version-", id);
      if (version && draft.version) version.value = draft.version;
      showStatus(id, "text-warning-emphasis", "Restored text you typed earlier that was not saved; saving it now…");
      if (!textarea.closest(".minutes-form").dataset.frozen) htmx.trigger(textarea, "retry");
    });
  }

  screen.addEventListener("click", function (event) {
    const retry = event.target.closest("[data-retry]");
    if (retry) {
      clearTimeout(retries[retry.dataset.retry] && retries[retry.dataset.retry].timer);
      resend(retry.dataset.retry);
      return;
    }
    const theirs = event.target.closest("[data-use-theirs]");
    if (theirs) {
      const id = theirs.dataset.useTheirs;
      const text = theirs.closest(".conflict").querySelector("textarea.theirs-text").value;
      byId("minutes-", id).value = text;
      byId("version-", id).value = theirs.dataset.version;
      dropDraft(id);
      showStatus(id, "text-secondary", "Their version is in place; yours was discarded.");
      byId("minutes-", id).focus();
      return;
    }
    const move = event.target.closest("[data-move]");
    if (move) moveItem(move.closest(".agenda-item"), move.dataset.move, move);
  });

  // A paper over the size limit is refused before it is sent (the server checks too).
  screen.addEventListener("change", function (event) {
    const input = event.target.closest("input[type=file]");
    const limit = Number(screen.dataset.maxPaperBytes || 0);
    if (!input || !limit || !input.files.length) return;
    const file = input.files[0];
    const form = input.closest("form");
    let note = form.querySelector(".paper-too-big");
    if (note) note.remove();
    if (file.size <= limit) return;
    input.value = "";
    note = document.createElement("div");
    note.className = "paper-too-big alert alert-danger py-2 mb-0 w-100";
    note.setAttribute("role", "alert");
    note.textContent =
      "“" + file.name + "” is " + (file.size / 1048576).toFixed(1) + " MB; papers may be at most " +
      Math.floor(limit / 1048576) + " MB. Choose a smaller file.";
    form.appendChild(note);
  });

  // --- agenda order: drag (SortableJS) or the arrow buttons ----------------------------
  const agenda = document.getElementById("agenda");
  const announcer = document.getElementById("agenda-announcer");

  function saveOrder() {
    const form = document.getElementById("reorder-form");
    const ids = Array.from(agenda.querySelectorAll(":scope > .agenda-item")).map((li) => li.dataset.itemId);
    form.querySelector("[name=order]").value = ids.join(",");
    htmx.trigger(form, "reorder");
  }

  function moveItem(li, direction, button) {
    const sibling = direction === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (direction === "up") sibling.before(li);
    else sibling.after(li);
    button.focus();
    saveOrder();
    const title = li.querySelector(".item-title");
    if (announcer && title) announcer.textContent = "Moved “" + title.textContent + "” " + direction + ".";
  }

  if (agenda && window.Sortable) {
    Sortable.create(agenda, { handle: ".drag-handle", animation: 150, onEnd: saveOrder });
  }

  // --- adding a decision or an action: keep the keyboard in place, say what happened ----
  // Each add form (data-adds) keeps its unsent text in this browser, like the minutes; after
  // the fragment is swapped in, focus goes back to the form and the live region announces
  // the result; the item's "From decision" list follows its decisions at once.
  // An add form's draft, or the <details> that loads the form (it carries the same data-adds
  // and data-item), named alike.
  const formDraftKey = (el) => "minutebook:draft:" + el.dataset.adds + ":" + el.dataset.item;
  const draftField = (form) => form.querySelector("textarea[name=text]");

  screen.addEventListener("input", function (event) {
    const form = event.target.closest("form[data-adds]");
    if (!form || event.target !== draftField(form)) return;
    try {
      if (event.target.value.trim()) localStorage.setItem(formDraftKey(form), event.target.value);
      else localStorage.removeItem(formDraftKey(form));
    } catch (e) {
      /* the text is still in the page */
    }
  });

  function restoreFormDrafts(root) {
    const forms = root.matches && root.matches("form[data-adds]") ? [root] : root.querySelectorAll("form[data-adds]");
    forms.forEach(function (form) {
      const field = draftField(form);
      let text = null;
      try {
        text = localStorage.getItem(formDraftKey(form));
      } catch (e) {
        return;
      }
      if (!field || !text || field.value) return;
      field.value = text;
      const details = form.closest("details");
      if (details) details.open = true;
    });
  }

  // A form loaded when its <details> opens: open it when this browser holds unsent text
  // for it, so the text comes back as it would in a loaded form.
  function openDraftedForms(root) {
    root.querySelectorAll("details[data-adds]").forEach(function (details) {
      try {
        if (localStorage.getItem(formDraftKey(details))) details.open = true;
      } catch (e) {
        /* nothing stored */
      }
    });
  }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    // A fresh node each time, so the same words said twice are read twice.
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function syncDecisionOptions(itemId) {
    const select = document.getElementById("item" + itemId + "-decision");
    const block = byId("decisions-", itemId);
    if (!select || !block) return;
    const chosen = select.value;
    Array.from(select.options).forEach(function (option) {
      if (option.value) option.remove();
    });
    block.querySelectorAll("[data-decision-id]").forEach(function (li) {
      select.add(new Option(li.dataset.optionLabel, li.dataset.decisionId));
    });
    select.value = Array.from(select.options).some((o) => o.value === chosen) ? chosen : "";
  }

  let adding = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.detail.elt.closest && event.detail.elt.closest("form[data-adds]");
    if (form) adding = { form: form, kind: form.dataset.adds, item: form.dataset.item, key: formDraftKey(form) };
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    // Only the add form's own answer: its fragment (the swap's target) holds the form.
    if (!adding || !event.detail.target || !event.detail.target.contains(adding.form)) return;
    const xhr = event.detail.xhr;
    const body = xhr.responseText || "";
    adding.ok = xhr.status < 300 && !body.includes("data-error-summary") && !body.includes("alert-danger");
    if (adding.ok) {
      try {
        localStorage.removeItem(adding.key);
      } catch (e) {
        /* nothing stored */
      }
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    const done = adding;
    if (!done || done.ok === undefined) return;
    adding = null;
    if (done.kind === "decision") {
      const block = byId("decisions-", done.item);
      syncDecisionOptions(done.item);
      if (done.ok && block) {
        const ids = Array.from(block.querySelectorAll("[data-decision-id]"));
        const newest = ids.sort((a, b) => a.dataset.decisionId - b.dataset.decisionId).pop();
        if (newest) announce("Decision " + newest.querySelector(".decision-number").textContent + " added.");
      }
      const field = byId("decision-text-", done.item);
      if (field) field.focus();
    } else if (done.kind === "action") {
      const fragment = byId("item-actions-", done.item);
      if (!fragment) return;
      if (done.ok) {
        announce("Action added.");
        const summary = fragment.querySelector("details.add-action > summary");
        if (summary) summary.focus();
      } else if (!fragment.querySelector("[data-error-summary]")) {
        const field = fragment.querySelector("form[data-adds] textarea[name=text]");
        if (field) field.focus();
      }
    }
  });

  // --- any other swap (attendance, declarations, papers, an item's details): the keyboard
  // stays on the control it was on, found again by its id in the new fragment, or on the
  // first field of the form it submitted.
  let keep = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const active = document.activeElement;
    if (!active || active === document.body || !screen.contains(active)) return;
    const form = active.closest("form");
    const field = form && form.querySelector("input[id]:not([type=hidden]), select[id], textarea[id]");
    keep = active.id || (field && field.id) || null;
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (!keep) return;
    const id = keep;
    keep = null;
    const lost = !document.activeElement || document.activeElement === document.body;
    const again = document.getElementById(id);
    if (lost && again) again.focus();
  });

  // --- people type-ahead (Tom Select), with "add a new person" in place -----------------
  const peopleUrl = screen.dataset.peopleUrl;
  const createUrl = screen.dataset.personCreateUrl;

  function initPeople(root) {
    if (!window.TomSelect) return;
    root.querySelectorAll("select.people-select").forEach(function (select) {
      if (select.tomselect) return;
      // The server decides who matches (initials such as "MG" too) and in what order.
      const ranks = {};
      new TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: ["text"],
        maxOptions: 20,
        loadThrottle: 250,
        plugins: select.multiple ? ["remove_button"] : [],
        load: function (query, callback) {
          fetch(peopleUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
            .then((response) => response.json())
            .then((json) => {
              ranks[query] = {};
              json.results.forEach((person, place) => { ranks[query][String(person.value)] = place; });
              callback(json.results);
            })
            .catch(() => callback());
        },
        score: function (query) {
          return function (option) {
            const rank = (ranks[query] || {})[String(option.value)];
            return rank === undefined ? 0 : 1 / (2 + rank);
          };
        },
        create: select.dataset.create
          ? function (input, callback) {
              const body = new FormData();
              body.append("name", input);
              fetch(createUrl, {
                method: "POST",
                body: body,
                credentials: "same-origin",
                headers: { "X-CSRFToken": csrfToken() },
              })
                .then((response) => response.json().then((json) => (response.ok ? json : Promise.reject(json))))
                .then((person) => callback(person))
                .catch(() => callback());
            }
          : false,
        render: {
          option_create: function (data, escape) {
            // An option like the others to assistive technology (Tom Select marks it selected).
            return '<div class="create" role="option">Add new person <strong>' + escape(data.input) + "</strong></div>";
          },
          no_results: function () {
            return '<div class="no-results">No one found. Type “Name (Organisation)” to add someone.</div>';
          },
        },
      });
      // Tom Select's own input now carries the label; the hidden select only holds values.
      select.setAttribute("aria-hidden", "true");
    });
  }

  htmx.onLoad(function (root) {
    initPeople(root);
    restoreDrafts(root);
    restoreFormDrafts(root);
    openDraftedForms(root);
  });
})();
