// The page plan: drag a story onto a page (the "Đặt" form beside each story is the keyboard
// way and does the same), and the e-paper build's progress while it runs.
(function () {
  "use strict";
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  document.querySelectorAll(".printing-story[draggable=true]").forEach(function (item) {
    item.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", item.dataset.story);
      event.dataTransfer.effectAllowed = "move";
      item.classList.add("is-dragging");
    });
    item.addEventListener("dragend", function () { item.classList.remove("is-dragging"); });
  });
  document.querySelectorAll(".printing-page[data-drop]").forEach(function (page) {
    page.addEventListener("dragover", function (event) {
      event.preventDefault();
      page.classList.add("is-target");
    });
    page.addEventListener("dragleave", function () { page.classList.remove("is-target"); });
    page.addEventListener("drop", function (event) {
      event.preventDefault();
      page.classList.remove("is-target");
      var story = event.dataTransfer.getData("text/plain");
      if (!story) return;
      var body = new FormData();
      body.append("story", story);
      body.append("page", page.dataset.page);
      body.append("csrfmiddlewaretoken", csrf());
      fetch(page.dataset.drop, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) { return response.json(); }).then(function (answer) {
        if (!answer.ok) { window.alert(answer.message); }
        window.location.reload();
      });
    });
  });
  var progress = document.getElementById("epaper-progress");
  if (progress && progress.dataset.state === "dang-dung") {
    var timer = window.setInterval(function () {
      fetch(progress.dataset.url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          progress.textContent = answer.label + (answer.state === "dang-dung" ? ": " + answer.done + "/" + answer.total + " trang" : "") + (answer.error ? " — " + answer.error : "");
          if (answer.state !== "dang-dung") { window.clearInterval(timer); window.location.reload(); }
        });
    }, 2000);
  }
})();
