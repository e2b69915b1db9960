/*
 * The course sidebar of an item page is drawn open; on a phone it is a drawer, closed until its
 * button is pressed. Loaded without `defer` right after the sidebar, so it closes before the
 * page is first shown; without JavaScript the sidebar simply stays open.
 */
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 720px)").matches) return;
  Array.prototype.forEach.call(document.querySelectorAll("details[data-drawer]"), function (d) {
    d.open = false;
  });
})();
