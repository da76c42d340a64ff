// Phones: the masthead's menu and search buttons, and the search page's "Bộ lọc" button, open
// their panel; aria-expanded says which is open. Without JavaScript the menu shows as a list,
// the search button is a link to the search page and the filters stay unfolded.
function setOpen(button, open) {
  button.setAttribute("aria-expanded", String(open));
  const masthead = button.closest(".masthead");
  if (masthead) {
    for (const other of masthead.querySelectorAll("[data-masthead-toggle]")) {
      if (other !== button) other.setAttribute("aria-expanded", "false");
    }
    masthead.dataset.open = open ? button.dataset.mastheadToggle : "";
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-masthead-toggle], [data-disclosure]");
  if (!button) return;
  event.preventDefault();
  const open = button.getAttribute("aria-expanded") !== "true";
  setOpen(button, open);
  if (open && button.dataset.mastheadToggle === "search") {
    document.getElementById("search-q").focus();
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector("[data-masthead-toggle][aria-expanded='true']");
  if (open) {
    setOpen(open, false);
    open.focus();
  }
});
