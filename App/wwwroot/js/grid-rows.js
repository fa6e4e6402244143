// MudDataGrid has no way to put attributes on its rows. A page gives each row the class `<rowClass>` and `<prefix><id>`;
// this copies them into data-testid="<rowClass>" and data-<key>="<id>", for integrations and tests that find a row.
export function markRows(host, rowClass, prefix, key) {
  const mark = () => host.querySelectorAll(`tr.${rowClass}`).forEach(tr => {
    const id = [...tr.classList].find(c => c.startsWith(prefix))?.slice(prefix.length);
    if (id && tr.dataset[key] !== id) {
      tr.dataset.testid = rowClass;
      tr.dataset[key] = id;
    }
  });
  mark();
  new MutationObserver(mark).observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
}
