// The moderation queue: keys for the selected comment (j/k move, a approve, r reject,
// u undo, Enter open). The row buttons are plain forms that work without this script;
// it only adds the keys, keeps the place (the row after the one just moderated) in view,
// and sends the list's current address, which Wagtail's filters change without a reload.
// The keys follow the moderator's Wagtail setting: off in their account, off here too.
(() => {
  const config = document.getElementById("wagtail-config");
  const keysOn = !config || JSON.parse(config.textContent).KEYBOARD_SHORTCUTS_ENABLED !== false;
  const rows = () => [...document.querySelectorAll("tr[data-comment-row]")];
  const CURRENT = "is-current";
  let current = null;
  let sending = false;  // one action at a time: a second key press waits for the new page

  const select = (row) => {
    if (!row) return;
    if (current) current.classList.remove(CURRENT);
    current = row;
    row.classList.add(CURRENT);
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  };

  const move = (step) => {
    const all = rows();
    if (!all.length) return;
    const at = all.indexOf(current);
    const next = at < 0 ? all[0] : all[Math.min(Math.max(at + step, 0), all.length - 1)];
    select(next);
  };

  const press = (selector) => {
    const button = current && document.contains(current) && current.querySelector(selector);
    if (button) button.click();
  };

  const typing = (target) =>
    target.closest("input, textarea, select, [contenteditable], [role=dialog]") !== null;

  document.addEventListener("keydown", (event) => {
    if (!keysOn || sending || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "a") press("button[name=status][value=approved]");
    else if (key === "r") press("button[name=status][value=rejected]");
    else if (key === "u") document.querySelector("[data-comment-undo] button")?.click();
    else if (key === "Enter" && event.target === current) press("td a[href*='/edit/']");
    else return;
    event.preventDefault();
  });

  // A click on a row (not on its controls) selects it, so the keys act on it.
  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-comment-row]");
    if (row && !event.target.closest("a, button, input, label")) select(row);
  });

  // Wagtail's filters replace the list and its address without a reload: send the address
  // shown now, so the moderator comes back to the list as it is on screen.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-comment-actions], [data-comment-undo]");
    if (!form) return;
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
    const here = new URL(window.location.href);
    here.searchParams.delete("_w_filter_fragment");
    form.elements.next.value = here.pathname + here.search;
  });
  window.addEventListener("pageshow", () => { sending = false; });

  const start = () => {
    if (keysOn) document.querySelector("[data-comment-keys]")?.removeAttribute("hidden");
    const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.matches("tr[data-comment-row]")) select(target);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
