// The import progress bar: asks the server every second, reloads for the summary at the end.
(function () {
  "use strict";
  var box = document.querySelector("[data-ingest-progress]");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector("[data-ingest-bar]");
  var label = box.querySelector("[data-ingest-label]");
  var count = box.querySelector("[data-ingest-count]");
  var percent = box.querySelector("[data-ingest-percent]");
  function tick() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return setTimeout(tick, 3000);
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        label.textContent = state.label;
        count.textContent = state.text;
        percent.textContent = state.percent + "%";
        if (state.finished) window.location.reload();
        else setTimeout(tick, 1000);
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 500);
})();
