// Names for what Wagtail 8 leaves unnamed, so a screen reader says what each is (and axe stops
// counting them, issue #16), taken from what the screen already shows in Vietnamese:
// - the tag field's typing box (jQuery tag-it adds it beside the real field) → the field's label;
// - a rich-text editor (Draftail) → its field's label, or its StreamField block's heading;
// - a dialog (choosers, "Yêu cầu sửa", …) → its heading.
// Both editors and dialogs come and go with the page (blocks added, modals opened): every change
// of the page is looked at again.
(() => {
  let made = 0;
  const idOf = (el) => el.id || (el.id = `ten-goi-${++made}`);
  const unnamed = (selector) =>
    document.querySelectorAll(`${selector}:not([aria-label]):not([aria-labelledby])`);

  const nameFromField = (control, fallback) => {
    const field = control.closest("[data-field-input]");
    const input = field && field.querySelector("input[id]");
    const label = input && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    const block = control.closest("section[aria-labelledby]");
    if (label) control.setAttribute("aria-labelledby", idOf(label));
    else if (block) control.setAttribute("aria-labelledby", block.getAttribute("aria-labelledby"));
    else control.setAttribute("aria-label", fallback);
  };

  const nameAll = () => {
    unnamed(".tagit-new input").forEach((box) => nameFromField(box, "Thêm thẻ"));
    unnamed(".public-DraftEditor-content[role=textbox]").forEach((editor) =>
      nameFromField(editor, "Nội dung"),
    );
    unnamed(".modal[role=dialog]").forEach((dialog) => {
      const heading = dialog.querySelector("h1, h2");
      if (heading) dialog.setAttribute("aria-labelledby", idOf(heading));
    });
  };

  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      nameAll();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
