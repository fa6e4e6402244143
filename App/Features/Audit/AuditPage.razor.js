// MudDataGrid has no way to put attributes on its rows; the row's class carries the entry's id and this copies it into
// data-testid="audit-row" and data-audit-id.
export function markRows(host) {
  const mark = () => host.querySelectorAll("tr.audit-row").forEach(tr => {
    const id = [...tr.classList].find(c => c.startsWith("aid-"))?.slice(4);
    if (id && tr.dataset.auditId !== id) {
      tr.dataset.testid = "audit-row";
      tr.dataset.auditId = id;
    }
  });
  mark();
  new MutationObserver(mark).observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
}
