/* A story whose form is being sent (publish, send for review, a desk's decision) is not
   autosaved any more. Wagtail's change watcher compares the form's data every half second,
   hidden fields included: the fields a workflow button adds ("action-workflow-action",
   "workflow-action-name") look like an edit, and the autosave they set off would post the
   decision a second time while the real one is on its way. */
(() => {
  const EDIT_FORM = "form[data-edit-form]";
  const DECISION = 'input[name="action-workflow-action"], input[name="workflow-action-name"]';
  const stopAutosave = (form) => form.setAttribute("data-w-autosave-active-value", "false");

  document.addEventListener(
    "submit",
    (event) => event.target.matches(EDIT_FORM) && stopAutosave(event.target),
    true,
  );
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(EDIT_FORM).forEach((form) => {
      // A decision from a dialog adds its fields, then sends the form without a submit event.
      new MutationObserver((changes) => {
        const added = changes.flatMap((change) => [...change.addedNodes]);
        if (added.some((node) => node.matches?.(DECISION))) stopAutosave(form);
      }).observe(form, { childList: true });
    });
  });
})();
