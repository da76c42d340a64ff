// Toà Soạn translation desk: moves the desk panel above wagtail-localize's editor and writes,
// under every segment that contains an official term, the approved translation(s) — refreshed
// after each segment is saved, with the desk's counter and term checks, so a missing term is
// flagged as the translator works.
(function () {
  const panel = document.querySelector("[data-translation-desk]");
  const editor = document.querySelector(".js-translation-editor");
  if (!panel || !editor) return;
  editor.before(panel);

  const squash = (text) => (text || "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
  let segments = [];

  function annotate() {
    const items = editor.querySelectorAll("li.complete, li.incomplete, li.errored");
    items.forEach((item) => {
      const source = item.querySelector(":scope > p");
      if (!source) return;
      const found = segments.find((s) => squash(s.source) === squash(source.textContent));
      let hint = item.querySelector(":scope > .term-hints");
      if (!found) {
        if (hint) hint.remove();
        return;
      }
      const html = found.terms
        .map((t) => {
          const alternatives = t.alternatives.length ? ` <small>(hoặc ${t.alternatives.map(escape).join(", ")})</small>` : "";
          const flag = t.missing ? ' <span class="term-hints__missing">⚠ bản dịch chưa dùng</span>' : "";
          return `<li><span lang="vi">${escape(t.source)}</span> → <strong lang="en">${escape(t.target)}</strong>${alternatives}${flag}</li>`;
        })
        .join("");
      const markup = `<p class="term-hints__title">Thuật ngữ</p><ul>${html}</ul>`;
      if (!hint) {
        hint = document.createElement("div");
        hint.className = "term-hints";
        hint.setAttribute("data-term-hints", "");
        source.after(hint);
      }
      if (hint.innerHTML !== markup) hint.innerHTML = markup;
    });
  }

  function escape(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // The desk's own counter and term table, as the server sees the translation now.
  function follow(data) {
    const progress = panel.querySelector("[data-progress]");
    if (progress && data.total) progress.textContent = `${data.done}/${data.total}`;
    data.segments.forEach((seg) => {
      seg.terms.forEach((term, n) => {
        const cell = panel.querySelector(`[data-term-check="${seg.id}:${n}"]`);
        if (!cell) return;
        if (!seg.translated) cell.textContent = "chưa dịch";
        else if (term.missing) cell.innerHTML = '<span class="translation-desk__missing" data-term-missing>⚠ chưa dùng</span>';
        else cell.textContent = "✓ đã dùng";
      });
    });
  }

  // wagtail-localize writes its editor's heading in English whatever the language.
  function localiseHeading() {
    editor.querySelectorAll("h2, h3").forEach((heading) => {
      const match = heading.textContent.match(/^(.+) to (.+) translation$/);
      if (match) heading.textContent = `Bản dịch từ ${match[1]} sang ${match[2]}`;
    });
  }

  async function refresh() {
    try {
      const response = await fetch(panel.dataset.termsUrl, { credentials: "same-origin" });
      if (response.ok) {
        const data = await response.json();
        segments = data.segments;
        follow(data);
      }
    } catch (error) {
      /* keep the last hints */
    }
    annotate();
  }

  // Segment saves go through fetch(): refresh the hints after each one, and remember the saves
  // still on their way, so that "Lưu bản nháp" / "Gửi duyệt" wait for the segment just typed.
  const originalFetch = window.fetch.bind(window);
  const saving = new Set();
  window.fetch = function (...args) {
    const url = String(args[0] && args[0].url ? args[0].url : args[0]);
    const request = originalFetch(...args);
    if (!(url.includes("/localize/translate/") && url.includes("/edit/"))) return request;
    const settled = request.then(
      () => setTimeout(refresh, 50),
      () => undefined,
    );
    saving.add(settled);
    settled.finally(() => saving.delete(settled));
    return request;
  };

  panel.querySelectorAll(".translation-desk__actions form").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (!saving.size) return;
      event.preventDefault();
      const button = form.querySelector("[type=submit]");
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button.textContent = "Đang lưu đoạn vừa dịch…";
      while (saving.size) await Promise.allSettled([...saving]);
      form.submit();
    });
  });

  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      localiseHeading();
      annotate();
    });
  }).observe(editor, { childList: true, subtree: true });
  refresh();
})();
