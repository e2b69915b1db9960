/*
 * Catalog: a changed filter or sort order applies at once. The search words still wait for
 * Enter or the Search button, and without JavaScript the Apply and Sort buttons do it all.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-apply-on-change]");
  if (!form) return;
  form.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches("select, input[type=checkbox]")) return;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  });
})();
