// "Đang đọc": the live panel is fetched again every 15 seconds and swapped in, no reload.
(() => {
  const panel = document.querySelector("[data-live-url]");
  if (!panel) return;
  const refresh = async () => {
    if (document.visibilityState !== "visible") return;
    try {
      const response = await fetch(panel.dataset.liveUrl, { credentials: "same-origin" });
      if (response.ok) panel.innerHTML = await response.text();
    } catch (error) { /* offline for a moment: keep what is shown */ }
  };
  setInterval(refresh, Number(panel.dataset.every || 15000));
})();
