/**
 * The compare control and the pick commands' copy buttons, in plain JS. It reads no data from
 * the page but the controls' own values and the text it copies, which it never runs, so
 * nothing a manifest sets can ever become code.
 */
export const REVIEW_SCRIPT = `
for (const box of document.querySelectorAll('[data-compare]')) {
  const range = box.querySelector('input[type=range]');
  const after = box.querySelector('.overlay img.after');
  const button = box.querySelector('button[data-toggle]');
  const set = (v) => {
    range.value = String(v);
    after.style.clipPath = 'inset(0 ' + (100 - v) + '% 0 0)';
    button.textContent = v < 50 ? 'show after' : 'show before';
    box.dataset.position = String(v);
  };
  range.addEventListener('input', () => set(Number(range.value)));
  button.addEventListener('click', () => set(Number(range.value) < 50 ? 100 : 0));
  set(50);
}
for (const button of document.querySelectorAll('button[data-copy]')) {
  const code = button.parentElement.querySelector('code');
  button.addEventListener('click', () => {
    // Selected as well: the clipboard may be refused on file://, and then a copy is one key away.
    getSelection().selectAllChildren(code);
    const done = () => { button.textContent = 'copied'; };
    if (navigator.clipboard) navigator.clipboard.writeText(code.textContent).then(done, () => {});
  });
}
`;
