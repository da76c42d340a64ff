/* Suggestions under the search boxes as a reader types (toasoan.search, /search/suggest/).
   The WAI-ARIA combobox pattern with a list box: ↓/↑ move through the suggestions, Enter opens
   the one chosen (or searches for what is typed), Escape closes the list, then clears the box.
   Labels come from this script tag's data attributes (translated by the page). */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = {
    label: script.getAttribute("data-label") || "Gợi ý",
    count: script.getAttribute("data-count") || "gợi ý.",
    none: script.getAttribute("data-none") || "Không có gợi ý."
  };
  var counter = 0;

  function attach(input) {
    var id = "suggest-" + (++counter);
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [], active = -1, timer = 0, pending = null, last = null;

    list.id = id;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", text.label);
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.parentNode.classList.add("suggest-host");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      if (active >= 0) list.children[active].setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
      var option = list.children[index];
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(document.createTextNode(item.label));
        kind.className = "suggest-list__kind";
        kind.textContent = " · " + item.kind;
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { window.location.href = item.url; });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = found.length ? found.length + " " + text.count : text.none;
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function ask() {
      var typed = input.value.trim();
      if (!typed) { close(); items = []; last = null; return; }
      if (typed === last) return;
      last = typed;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), {
        signal: pending.signal, headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === typed) show(data.suggestions || []); })
        .catch(function () { /* offline or aborted: the search still works without them */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        if (items.length) choose(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open && items.length) choose(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        window.location.href = items[active].url;
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; last = null; }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), attach);
})();
