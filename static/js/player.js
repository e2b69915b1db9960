/*
 * Course player: transcript lines seek the video, the line being spoken is highlighted, and an
 * internal video reports the share watched so the server can complete it at 90 %.
 * YouTube and Vimeo are driven through their postMessage APIs; if a frame never loads, a click
 * still highlights the line and nothing else happens.
 */
(function () {
  "use strict";

  var layout = document.querySelector(".video-layout");
  if (!layout) return;

  var provider = layout.getAttribute("data-video-provider");
  var video = layout.querySelector("video");
  var frame = layout.querySelector("iframe");
  var list = layout.querySelector(".transcript-lines");
  var lines = Array.prototype.slice.call(layout.querySelectorAll(".transcript-line"));
  var completion = document.getElementById("completion");

  var ORIGINS = { youtube: "https://www.youtube-nocookie.com", vimeo: "https://player.vimeo.com" };

  function setActive(line) {
    lines.forEach(function (other) {
      var on = other === line;
      other.classList.toggle("active", on);
      if (on) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    });
    if (line && list) {
      var top = line.offsetTop - list.offsetTop;
      if (top < list.scrollTop || top + line.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = Math.max(0, top - list.clientHeight / 3);
      }
    }
  }

  function send(message) {
    if (!frame || !frame.contentWindow || !ORIGINS[provider]) return;
    frame.contentWindow.postMessage(JSON.stringify(message), ORIGINS[provider]);
  }

  function seek(seconds) {
    if (video) {
      video.currentTime = seconds;
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () {});
    } else if (provider === "youtube") {
      send({ event: "command", func: "seekTo", args: [seconds, true] });
      send({ event: "command", func: "playVideo", args: [] });
    } else if (provider === "vimeo") {
      send({ method: "setCurrentTime", value: seconds });
      send({ method: "play" });
    }
  }

  lines.forEach(function (line) {
    line.addEventListener("click", function () {
      setActive(line);
      seek(parseFloat(line.getAttribute("data-start")) || 0);
    });
  });

  // Opened at a moment (?t= from a search hit): the player starts there (the server put it in
  // the embed address or the media fragment); mark the line spoken then and make sure an
  // internal video is there even if the browser ignored the fragment.
  var startAt = parseFloat(layout.getAttribute("data-start")) || 0;
  if (startAt > 0) {
    var startLine = null;
    lines.forEach(function (line) {
      if (parseFloat(line.getAttribute("data-start")) <= startAt) startLine = line;
    });
    if (startLine) setActive(startLine);
    if (video) {
      var jump = function () {
        if (Math.abs(video.currentTime - startAt) > 1) video.currentTime = startAt;
      };
      if (video.readyState >= 1) jump();
      else video.addEventListener("loadedmetadata", jump, { once: true });
    }
  }

  if (!video) return;

  function lineAt(seconds) {
    var found = null;
    for (var i = 0; i < lines.length; i++) {
      if (parseFloat(lines[i].getAttribute("data-start")) <= seconds) found = lines[i];
      else break;
    }
    if (found && seconds > parseFloat(found.getAttribute("data-end")) + 1) return null;
    return found;
  }

  var current = null;
  video.addEventListener("timeupdate", function () {
    var line = lineAt(video.currentTime);
    if (line !== current) {
      current = line;
      setActive(line);
    }
  });

  // Share watched: seconds of the video actually played, each counted once.
  var records = completion && completion.getAttribute("data-records") === "true";
  var done = completion && completion.getAttribute("data-complete") === "true";
  if (!records || done) return;

  var seen = null;
  var seenCount = 0;
  var reportedStep = 0;

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function markDone() {
    done = true;
    completion.setAttribute("data-complete", "true");
    var form = completion.querySelector("form");
    var note = completion.querySelector(".completion-done");
    if (form) form.hidden = true;
    if (note) note.hidden = false;
  }

  function report(percent) {
    var body = new URLSearchParams();
    body.set("percent", percent.toFixed(2));
    fetch(completion.getAttribute("data-progress-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token() },
      body: body,
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.completed) markDone(); })
      .catch(function () {});
  }

  video.addEventListener("timeupdate", function () {
    if (done || video.paused || video.seeking) return;
    var duration = video.duration;
    if (!isFinite(duration) || duration <= 0) return;
    if (!seen) seen = new Uint8Array(Math.ceil(duration));
    var second = Math.min(seen.length - 1, Math.floor(video.currentTime));
    if (!seen[second]) {
      seen[second] = 1;
      seenCount += 1;
    }
    var percent = Math.min(100, (seenCount / seen.length) * 100);
    var step = Math.floor(percent / 10) * 10;
    if (step > reportedStep) {
      reportedStep = step;
      report(percent);
    }
  });
})();
