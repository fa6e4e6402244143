// MudDataGrid has no way to put attributes on its rows; the row's class carries the id and this copies it into
// data-testid="recording-row" and data-recording-id, for integrations and tests that find a call's row.
export function markRows(host) {
  const mark = () => host.querySelectorAll("tr.recording-row").forEach(tr => {
    const id = [...tr.classList].find(c => c.startsWith("rid-"))?.slice(4);
    if (id && tr.dataset.recordingId !== id) {
      tr.dataset.testid = "recording-row";
      tr.dataset.recordingId = id;
    }
  });
  mark();
  new MutationObserver(mark).observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
}
