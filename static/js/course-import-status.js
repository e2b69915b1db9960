// The course import page while an import waits or runs: ask for its status every two seconds
// and reload the page once it has finished (the page's Refresh link does the same without
// scripts).
(function () {
  "use strict";
  var row = document.getElementById("cimport-status");
  if (!row || !row.dataset.statusUrl) { return; }
  var shown = null;
  function poll() {
    fetch(row.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && status.finished) { window.location.reload(); return; }
        if (status && status.running && shown !== "running") {
          shown = "running";
          document.getElementById("cimport-status-label").textContent = row.dataset.runningLabel;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
