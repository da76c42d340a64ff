// A story's poll on a cacheable page: ask whether this visitor has voted (and for a CSRF
// token), then show the form or the results; vote with fetch.
(() => {
  document.querySelectorAll("[data-poll]").forEach(async (box) => {
    const form = box.querySelector(".poll__form");
    const results = box.querySelector(".poll__results");
    const status = box.querySelector(".poll__status");
    const show = (data) => {
      if (data.results) {
        results.replaceChildren();
        const list = document.createElement("ol");
        list.className = "poll__bars";
        for (const choice of data.results.choices) {
          const item = document.createElement("li");
          const text = document.createElement("span");
          text.className = "poll__choice-text";
          text.textContent = choice.text;
          const percent = document.createElement("span");
          percent.className = "poll__percent";
          percent.textContent = ` ${choice.percent}% (${choice.votes})`;
          const bar = document.createElement("span");
          bar.className = "poll__bar";
          bar.style.width = `${choice.percent}%`;
          item.append(text, percent, bar);
          list.append(item);
        }
        const total = document.createElement("p");
        total.className = "poll__total";
        total.textContent = (box.dataset.msgVotes || "{count} lượt bình chọn").replace("{count}", data.results.total);
        results.append(list, total);
        results.hidden = false;
        form.hidden = true;
        if (!data.open) status.textContent = box.dataset.msgClosed || "Cuộc bình chọn đã kết thúc.";
      } else {
        form.hidden = !data.open;
      }
    };
    let state;
    try {
      const response = await fetch(box.dataset.pollState, { credentials: "same-origin", headers: { Accept: "application/json" } });
      state = await response.json();
    } catch (error) {
      return;
    }
    form.elements.csrfmiddlewaretoken.value = state.csrf;
    show(state);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const response = await fetch(box.dataset.poll, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": state.csrf },
      });
      const answer = await response.json().catch(() => ({ message: box.dataset.msgFailed || "Không gửi được, vui lòng thử lại." }));
      status.textContent = answer.message || "";
      show(answer);
    });
  });
})();
