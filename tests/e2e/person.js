// What a page shows, read in the browser by person.py: visible text (each text node once, by the
// element that holds it), the words read without being text (placeholders, button values,
// images' alt, and aria-label, which a screen reader says aloud even on hidden controls),
// ids, landmarks, main headings, forms, images.
() => {
  const visible = (el) => {
    if (!el.isConnected) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList.length) s += '.' + [...el.classList].slice(0, 2).join('.');
    const parent = el.parentElement && el.parentElement.closest('[id]');
    return parent ? parent.tagName.toLowerCase() + '#' + parent.id + ' ' + s : s;
  };
  const skipped = 'script, style, noscript, template, code, pre, kbd, samp, textarea, [lang]:not([lang^="vi"])';
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skipped) || !visible(el)) continue;
    texts.push({text, where: describe(el)});
  }
  const said = ['placeholder', 'value', 'alt', 'aria-label'];
  for (const el of document.querySelectorAll('[placeholder], input[type=submit][value], input[type=button][value], img[alt], [aria-label]')) {
    if (el.closest(skipped) || !(visible(el) || el.matches('[aria-label]'))) continue;
    for (const name of said) {
      if (name === 'value' && !el.matches('input[type=submit], input[type=button]')) continue;
      const text = (el.getAttribute(name) || '').trim();
      if (text) texts.push({text, where: describe(el) + (name === 'aria-label' ? ' (read aloud)' : '')});
    }
  }
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  const shown = (selector) => [...document.querySelectorAll(selector)].filter(visible);
  const landmarks = {};
  for (const el of shown('main, [role=main], body > header, [role=banner], body > footer, [role=contentinfo]')) {
    const role = el.getAttribute('role') || {MAIN: 'main', HEADER: 'banner', FOOTER: 'contentinfo'}[el.tagName];
    landmarks[role] = (landmarks[role] || 0) + 1;
  }
  const forms = {};
  for (const form of shown('form')) {
    const fields = [...form.elements].map((f) => f.name).filter(Boolean).sort().join(',');
    const key = (form.method || 'get') + ' ' + (form.getAttribute('action') || location.pathname) + ' [' + fields + ']';
    forms[key] = (forms[key] || 0) + 1;
  }
  const broken = [...document.images]
    .filter((img) => visible(img) && (!img.complete || img.naturalWidth === 0))
    .map((img) => img.currentSrc || img.src || describe(img));
  return {
    lang: document.documentElement.lang || '',
    width: document.documentElement.scrollWidth,
    screenWidth: window.innerWidth,
    texts,
    duplicateIds: Object.entries(ids).filter(([, n]) => n > 1),
    landmarks,
    h1: shown('h1').filter((h) => !h.closest('dialog, [role=dialog], .modal'))
      .map((h) => h.textContent.trim().replace(/\s+/g, ' ')),
    forms: Object.entries(forms).filter(([, n]) => n > 1),
    broken,
  };
}
