/*
 * Course outline of a large course: a closed branch holds only a link to the page opened at it
 * (which works without JavaScript). Opening the branch fetches its server-rendered fragment and
 * puts it in place of that link; if the fetch fails, the link stays.
 */
(function () {
  "use strict";

  function attach(root) {
    Array.prototype.forEach.call(root.querySelectorAll("details[data-branch]"), function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open || details.hasAttribute("data-loading")) return;
        var more = details.querySelector(".branch-more");
        if (!more || more.parentNode !== details) return;
        details.setAttribute("data-loading", "");
        details.setAttribute("aria-busy", "true");
        fetch(details.getAttribute("data-branch"), { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.text();
          })
          .then(function (html) {
            var holder = document.createElement("template");
            holder.innerHTML = html; // the server's own markup, every title escaped there
            var fragment = holder.content;
            attach(fragment);
            details.replaceChild(fragment, more);
          })
          .catch(function () {
            details.removeAttribute("data-loading");
          })
          .then(function () {
            details.removeAttribute("aria-busy");
          });
      });
    });
  }

  attach(document);
})();
