// Counts one view of this story after the page has loaded; the page itself stays cacheable.
(() => {
  const script = document.currentScript || document.querySelector("[data-view-beacon]");
  const url = script && script.dataset.viewBeacon;
  if (!url || document.visibilityState === "prerender") return;
  const send = () => {
    if (!(navigator.sendBeacon && navigator.sendBeacon(url))) {
      fetch(url, { method: "POST", keepalive: true, credentials: "omit" }).catch(() => {});
    }
  };
  if (document.readyState === "complete") send();
  else window.addEventListener("load", send, { once: true });
})();
