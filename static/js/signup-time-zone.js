/*
 * Sign-up: preselect the browser's time zone in the time zone list, when the list has it.
 * Without JavaScript (or with a zone the list lacks) the server's default stays selected.
 */
(function () {
  "use strict";

  var select = document.querySelector("select[data-browser-time-zone]");
  if (!select || select.getAttribute("data-chosen")) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
})();
