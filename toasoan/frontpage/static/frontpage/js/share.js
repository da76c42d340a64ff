// "Sao chép liên kết": copies the story's address; no third-party script is involved.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-link]");
  if (!button) return;
  const status = button.parentElement.querySelector(".share__status");
  try {
    await navigator.clipboard.writeText(button.dataset.copyLink);
    if (status) status.textContent = button.dataset.copied || "Đã sao chép liên kết.";
  } catch (error) {
    window.prompt(button.dataset.copyPrompt || "Sao chép liên kết:", button.dataset.copyLink);
  }
});
// Video cards: the player from another host loads only after the reader asks for it.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-youtube-id]");
  if (!link) return;
  event.preventDefault();
  const frame = document.createElement("iframe");
  frame.src = "https://www.youtube-nocookie.com/embed/" + encodeURIComponent(link.dataset.youtubeId) + "?autoplay=1";
  frame.title = link.dataset.title || "Video";
  frame.allow = "autoplay; encrypted-media; picture-in-picture";
  frame.allowFullscreen = true;
  frame.loading = "lazy";
  link.replaceWith(frame);
});
