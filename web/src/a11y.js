// Accessibility repairs of what Element Plus renders itself, in pop-ups that are teleported to
// <body> and so beyond the reach of the components that open them. A select's drop-down is a
// popper with role="tooltip" and no name (WCAG 4.1.2; axe-core: aria-tooltip-name), and its
// list scrolls without being focusable (axe-core: scrollable-region-focusable: a keyboard
// user who cannot use the select's arrow keys, which move through aria-activedescendant,
// must be able to reach it to scroll it). Each popper is repaired once, when it appears: named
// after the select's list, and its scrolling list made focusable (the select closes its
// drop-down on Tab, so this adds no tab stop to the page).
const repairs = [
  ['.el-select__popper[role="tooltip"]:not([aria-label])', (popper) => {
    const list = popper.querySelector('[role="listbox"]');
    const name = list?.getAttribute('aria-label') || labelOf(list && document.querySelector(`[aria-controls="${list.id}"]`));
    if (name) popper.setAttribute('aria-label', name);
  }],
  ['.el-select-dropdown__wrap:not([tabindex])', (wrap) => wrap.setAttribute('tabindex', '0')],
];

/** The accessible name an input has from aria-label or its <label> elements, or ''. */
function labelOf(input) {
  if (!input) return '';
  return input.getAttribute('aria-label') || [...(input.labels || [])].map((l) => l.textContent.trim()).join(' ');
}

function repair() {
  for (const [selector, fix] of repairs) for (const el of document.querySelectorAll(selector)) fix(el);
}

/** Repairs pop-ups now and whenever the page changes (at most once per frame). */
export function repairPopups() {
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; repair(); });
  }).observe(document.body, { childList: true, subtree: true });
  repair();
}
