// Reader comments on a cacheable article page: the page has no CSRF token in it, so the
// form asks for one (with a signed time stamp) when the reader starts writing, then
// sends the comment with fetch and shows the answer in place.
(() => {
  const form = document.querySelector("[data-comment-form]");
  if (!form) return;
  form.hidden = false;
  const status = form.querySelector(".comment-form__status");
  const replying = form.querySelector("[data-replying]");
  let session = null;

  const getSession = () => {
    session = session || fetch(form.dataset.session, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then((r) => {
      if (!r.ok) throw new Error("session");
      return r.json();
    }).then((data) => {
      form.elements.csrfmiddlewaretoken.value = data.csrf;
      form.elements.ts.value = data.ts;
      return data;
    }).catch((error) => {
      session = null;
      throw error;
    });
    return session;
  };

  form.addEventListener("focusin", () => { getSession().catch(() => {}); }, { once: true });

  const clearErrors = () => form.querySelectorAll(".comment-form__error").forEach((e) => e.remove());
  const showErrors = (errors) => {
    for (const [name, messages] of Object.entries(errors || {})) {
      const field = form.elements[name];
      if (!field || field.type === "hidden") continue;
      const span = document.createElement("span");
      span.className = "comment-form__error";
      span.textContent = messages.join(" ");
      field.insertAdjacentElement("afterend", span);
    }
  };
  const setReply = (id, name) => {
    form.elements.parent.value = id || "";
    replying.hidden = !id;
    replying.querySelector("[data-reply-name]").textContent = name || "";
  };

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-reply-to]");
    if (link) {
      event.preventDefault();
      setReply(link.dataset.replyTo, link.dataset.replyName);
      form.elements.text.focus();
    } else if (event.target.closest("[data-cancel-reply]")) {
      setReply("", "");
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = form.dataset.msgSending || "Đang gửi…";
    try {
      const data = await getSession();
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": data.csrf },
      });
      const answer = await response.json().catch(() => ({ ok: false, message: form.dataset.msgFailed || "Không gửi được bình luận, vui lòng thử lại." }));
      status.textContent = answer.message;
      status.classList.toggle("comment-form__status--ok", !!answer.ok);
      if (answer.ok) {
        form.elements.text.value = "";
        setReply("", "");
        session = null;  // a fresh time stamp for the next comment
        getSession().catch(() => {});
      } else {
        showErrors(answer.errors);
      }
    } catch (error) {
      status.textContent = form.dataset.msgOffline || "Không kết nối được, vui lòng thử lại.";
    } finally {
      button.disabled = false;
    }
  });
})();
