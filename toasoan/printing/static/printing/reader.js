// The e-paper reader: pages side by side in a scroll-snapping strip (swipe on a phone),
// previous/next buttons and arrow keys flip, "Phóng to" shows the zoom image in place
// (scroll and pinch to move around). Without JavaScript the links still go page to page.
(function () {
  "use strict";
  var reader = document.querySelector("[data-reader]");
  if (!reader) return;
  var strip = reader.querySelector(".epaper-strip");
  var sheets = Array.prototype.slice.call(reader.querySelectorAll(".epaper-sheet"));
  var counter = reader.querySelector("[data-current]");
  var zoomButton = reader.querySelector("[data-zoom]");
  var current = 0;

  function show(index, smooth) {
    current = Math.max(0, Math.min(sheets.length - 1, index));
    strip.scrollTo({ left: sheets[current].offsetLeft - strip.offsetLeft, behavior: smooth ? "smooth" : "auto" });
    counter.textContent = String(current + 1);
    if (window.history.replaceState) window.history.replaceState(null, "", "#trang-" + sheets[current].dataset.number);
  }
  function fromHash() {
    var match = /^#trang-(\d+)$/.exec(window.location.hash);
    if (!match) return 0;
    var i = sheets.findIndex(function (s) { return s.dataset.number === match[1]; });
    return i < 0 ? 0 : i;
  }
  reader.querySelectorAll("[data-step]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(current + Number(link.dataset.step), true);
    });
  });
  reader.querySelectorAll(".epaper-thumbs a").forEach(function (link, i) {
    link.addEventListener("click", function (event) { event.preventDefault(); show(i, true); });
  });
  strip.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1, true); }
    if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1, true); }
  });
  var settle;
  strip.addEventListener("scroll", function () {
    window.clearTimeout(settle);
    settle = window.setTimeout(function () {
      var i = Math.round(strip.scrollLeft / strip.clientWidth);
      if (i !== current && sheets[i]) { current = i; counter.textContent = String(i + 1); }
    }, 120);
  });
  function setZoom(on) {
    reader.classList.toggle("is-zoomed", on);
    zoomButton.setAttribute("aria-pressed", on ? "true" : "false");
    zoomButton.textContent = on ? "Thu nhỏ" : "Phóng to";
    var img = sheets[current].querySelector("img");
    var link = sheets[current].querySelector("[data-zoom-src]");
    if (on && img.dataset.small === undefined) { img.dataset.small = img.src; img.src = link.dataset.zoomSrc; }
    if (!on && img.dataset.small !== undefined) { img.src = img.dataset.small; delete img.dataset.small; }
    show(current, false);
  }
  zoomButton.addEventListener("click", function () { setZoom(!reader.classList.contains("is-zoomed")); });
  reader.querySelectorAll("[data-zoom-src]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); setZoom(!reader.classList.contains("is-zoomed")); });
  });
  show(fromHash(), false);
})();
