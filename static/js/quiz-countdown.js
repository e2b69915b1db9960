// Shows the time left on a timed quiz attempt. The deadline is enforced on the server; this
// only informs. Without JavaScript the page shows the end time instead.
(function () {
  "use strict";
  var box = document.getElementById("quiz-deadline");
  if (!box) return;
  var output = box.querySelector(".quiz-countdown");
  var left = parseInt(box.getAttribute("data-seconds-left"), 10);
  if (!output || isNaN(left)) return;
  var end = Date.now() + left * 1000;
  output.hidden = false;
  function tick() {
    var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    output.textContent = m + ":" + (s < 10 ? "0" : "") + s + " left";
    if (seconds <= 60) box.classList.add("quiz-deadline-near");
    if (seconds > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
