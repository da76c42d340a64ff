/* Live blog updates: one poll per time bucket of the shared, cacheable update URL.
   New entries appear at once for a reader at the top; further down, a "N cập nhật mới"
   button waits to be pressed and nothing moves. Edits, deletions, the pinned entry and the
   key events are applied keeping what the reader looks at where it is on the screen. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-update]");
  if (!root || !window.fetch || !window.Promise) return;
  var list = document.getElementById("dong-su-kien");
  var slot = document.getElementById("ghim");
  var keys = document.getElementById("dien-bien-chinh");
  var notice = root.querySelector(".live-notice");
  var state = root.querySelector("[data-live-state]");
  var base = root.getAttribute("data-live-update");
  var bucketMs = Number(root.getAttribute("data-bucket")) * 1000;
  var known = Number(root.getAttribute("data-version")) || 0;
  var offset = 0; // server clock minus ours, from each answer's Date header
  var held = {}; // new entries waiting for the reader to press the notice
  var tooMany = false;
  var AT_TOP = 80;

  function serverNow() { return Date.now() + offset; }
  function currentBucket() { return Math.floor((serverNow() - 1500) / bucketMs); }
  function urlFor(bucket) { return base.replace(/\/0\.json$/, "/" + bucket + ".json"); }
  function atTop() { return window.scrollY < AT_TOP; }
  function byId(id) { return document.getElementById("muc-" + id); }
  function fragment(html) {
    var box = document.createElement("template");
    box.innerHTML = html.trim(); // our own server's escaped HTML
    return box.content.firstElementChild;
  }

  function sync(response) {
    var date = Date.parse(response.headers.get("Date") || "");
    if (!isNaN(date)) offset = date + 500 - Date.now();
  }

  // The first entry visible on screen, and its distance from the top of the window.
  function anchor(skip) {
    var nodes = document.querySelectorAll("[data-entry]");
    for (var i = 0; i < nodes.length; i++) {
      if (skip.indexOf(nodes[i]) !== -1) continue;
      var top = nodes[i].getBoundingClientRect().top;
      if (top >= 0 || nodes[i].getBoundingClientRect().bottom > 40) return { node: nodes[i], top: top };
    }
    return null;
  }

  function keepingPlace(skip, change) {
    if (atTop()) { change(); return; }
    var before = anchor(skip);
    change();
    if (before && document.body.contains(before.node)) {
      var moved = before.node.getBoundingClientRect().top - before.top;
      if (moved) window.scrollBy(0, moved);
    }
  }

  function insertSorted(node) {
    var t = Number(node.getAttribute("data-t"));
    var children = list.querySelectorAll("[data-entry]");
    for (var i = 0; i < children.length; i++) {
      if (Number(children[i].getAttribute("data-t")) <= t) {
        list.insertBefore(node, children[i]);
        return;
      }
    }
    if (!children.length || Number(children[children.length - 1].getAttribute("data-t")) > t) {
      // older than everything on this page: it belongs to a later page, unless the page is short
      if (!root.querySelector(".pager [rel=next]")) list.appendChild(node);
    }
  }

  function showNotice() {
    var count = Object.keys(held).length;
    if (tooMany) {
      notice.textContent = notice.getAttribute("data-reload");
      notice.hidden = false;
    } else if (count) {
      notice.textContent = count + " " + notice.getAttribute("data-one");
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
  }

  function releaseHeld() {
    var ids = Object.keys(held);
    ids.forEach(function (id) { insertSorted(held[id]); });
    held = {};
    var empty = list.querySelector(".live-empty");
    if (empty && ids.length) empty.remove();
  }

  notice.addEventListener("click", function () {
    if (tooMany) { window.location.reload(); return; }
    releaseHeld();
    showNotice();
    root.scrollIntoView({ block: "start" });
  });

  function apply(data) {
    var items = data.entries.filter(function (e) { return e.v > known; });
    var touched = items.map(function (e) { return byId(e.id); }).filter(Boolean);
    var pinnedNow = slot.querySelector("[data-entry]");
    var pinChanged = String(data.pinned || "") !== (pinnedNow ? pinnedNow.getAttribute("data-entry") : "");
    if (pinnedNow) touched.push(pinnedNow);
    if (data.floor && data.floor > known + 1 && known) tooMany = true;
    keepingPlace(touched, function () {
      items.sort(function (a, b) { return a.v - b.v; }).forEach(function (e) {
        var old = byId(e.id);
        if (e.gone) {
          if (old) old.remove();
          delete held[e.id];
          return;
        }
        var node = fragment(e.html);
        if (String(e.id) === String(data.pinned)) {
          if (old) old.remove();
          delete held[e.id];
          slot.replaceChildren(node);
        } else if (old && old.parentNode === slot) {
          old.remove();
          insertSorted(node);
        } else if (old) {
          old.replaceWith(node);
        } else if (held[e.id] || !atTop()) {
          held[e.id] = node;
        } else {
          var empty = list.querySelector(".live-empty");
          if (empty) empty.remove();
          insertSorted(node);
        }
      });
      if (pinChanged && !data.pinned) {
        var stale = slot.querySelector("[data-entry]");
        if (stale) stale.remove();
      }
      if (keys.innerHTML.trim() !== data.keys.trim()) keys.innerHTML = data.keys;
    });
    known = Math.max(known, data.v);
    showNotice();
    if (data.state === "ended") {
      state.textContent = "Đã kết thúc";
      state.className = "live__state live__state--ended";
      return false;
    }
    return true;
  }

  function schedule() {
    var now = serverNow();
    var next = (Math.floor(now / bucketMs) + 1) * bucketMs + 1500 + Math.random() * 2000;
    window.setTimeout(poll, Math.max(1000, next - now));
  }

  function poll() {
    fetch(urlFor(currentBucket()), { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        sync(response);
        if (!response.ok) return true;
        return response.json().then(apply);
      })
      .catch(function () { return true; })
      .then(function (goOn) { if (goOn !== false) schedule(); });
  }

  schedule();
})();
