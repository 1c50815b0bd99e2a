// Runs in the page: text smaller than minText and controls smaller than minTap (CSS px).
// Links inside a sentence are exempt from the target size (WCAG 2.5.8 "inline"); a checkbox,
// radio button or file input is measured by its label, which is what a finger presses.
([minText, minTap]) => {
  const skip = (el) => el.closest('.visually-hidden, script, style, noscript, svg, [aria-hidden=true], .m-skip');
  const shown = (el) => { const cs = getComputedStyle(el); const r = el.getBoundingClientRect();
    return cs.visibility !== 'hidden' && cs.display !== 'none' && r.width > 0 && r.height > 0 && r.right > 0; };
  const text = []; let texts = 0; let smallest = 99;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode; const el = node.parentElement;
    if (!el || !node.textContent.trim() || skip(el) || !shown(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize); texts += 1; smallest = Math.min(smallest, size);
    if (size < minText - 0.05) text.push(`${el.tagName.toLowerCase()}.${el.className} "${node.textContent.trim().slice(0, 20)}" ${size}px`);
  }
  const taps = []; let controls = 0; let narrowest = 999;
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')) {
    if (skip(el) || !shown(el)) continue;
    let box = el;
    if (el.matches('input[type=checkbox], input[type=radio], input[type=file]') && el.labels && el.labels.length) box = el.labels[0];
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const own = el.textContent.trim().length, around = el.parentElement.textContent.trim().length;
      if (around > own) continue;
    }
    const r = box.getBoundingClientRect(); controls += 1; narrowest = Math.min(narrowest, r.width, r.height);
    if (r.width < minTap - 0.5 || r.height < minTap - 0.5)
      taps.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return { text, taps, texts, controls, smallest, narrowest };
}
