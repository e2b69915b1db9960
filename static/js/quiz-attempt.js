// The attempt page, improved: answers are saved as the learner works (the form's own POST,
// asking for JSON), the question navigator follows the answers and flags, the time left is
// shown, and at the deadline the form is submitted. The server stays the authority: it
// refuses answers after the deadline and scores what was saved. Without JavaScript every
// button of the form still saves every answer.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("quiz-save-status");
  var progress = document.getElementById("quiz-progress");
  var labels = form.dataset;
  var dirty = false; // changes not yet confirmed saved by the server
  var inFlight = false;
  var again = false;
  var leaving = false; // a button was pressed: the page is being submitted
  var typingTimer = null;

  function say(text) {
    if (status) status.textContent = text;
  }

  function fieldsets() {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset[data-question]"));
  }

  function isAnswered(fieldset) {
    var inputs = fieldset.querySelectorAll("input:not([name=flagged])");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) return true;
      } else if (input.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function isFlagged(fieldset) {
    var flag = fieldset.querySelector("input[name=flagged]");
    return !!(flag && flag.checked);
  }

  function refreshNavigator() {
    var all = fieldsets();
    var answered = 0;
    all.forEach(function (fieldset) {
      var id = fieldset.dataset.question;
      var link = document.querySelector('[data-nav="' + id + '"]');
      var done = isAnswered(fieldset);
      var flagged = isFlagged(fieldset);
      if (done) answered += 1;
      if (!link) return;
      link.classList.toggle("is-answered", done);
      link.classList.toggle("is-unanswered", !done);
      link.classList.toggle("is-flagged", flagged);
      var state = link.querySelector(".nav-state");
      if (state) {
        state.textContent =
          (done ? labels.labelAnswered : labels.labelUnanswered) +
          (flagged ? ", " + labels.labelFlagged : "");
      }
    });
    if (progress && labels.labelProgress) {
      progress.textContent = labels.labelProgress
        .replace("%(answered)s", answered)
        .replace("%(total)s", all.length);
    }
  }

  function showErrors(errors) {
    fieldsets().forEach(function (fieldset) {
      var old = fieldset.querySelector(".errorlist[data-autosave]");
      if (old) old.remove();
      var message = errors && errors[fieldset.dataset.question];
      if (!message) return;
      var p = document.createElement("p");
      p.className = "errorlist";
      p.setAttribute("role", "alert");
      p.dataset.autosave = "1";
      p.textContent = message;
      var actions = fieldset.querySelector(".question-actions");
      fieldset.insertBefore(p, actions);
    });
  }

  function save() {
    if (leaving) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    dirty = false;
    say(labels.labelSaving);
    var body = new FormData(form);
    body.set("action", "save");
    // Not form.action: the buttons named "action" shadow that property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (reply) {
        var data = reply.data;
        if (data.submitted && data.redirect) {
          leaving = true;
          window.location.assign(data.redirect);
          return;
        }
        showErrors(data.errors || {});
        if (!reply.ok) {
          dirty = true;
          say(data.message || labels.labelFailed);
          return;
        }
        if (dirty || again) return; // newer changes: their save reports
        var time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        say(labels.labelSaved + " · " + time);
      })
      .catch(function () {
        dirty = true;
        say(labels.labelFailed);
      })
      .then(function () {
        inFlight = false;
        if (submitLater && !leaving) {
          submitLater = false;
          if (form.requestSubmit) form.requestSubmit(submitter || undefined);
          else HTMLFormElement.prototype.submit.call(form);
        } else if (again) {
          save();
        }
      });
  }

  function changed() {
    dirty = true;
    say(labels.labelSaving);
    refreshNavigator();
    window.clearTimeout(typingTimer);
  }

  form.addEventListener("change", function () {
    changed();
    save();
  });
  form.addEventListener("input", function (event) {
    if (event.target.type !== "text") return;
    changed();
    typingTimer = window.setTimeout(save, 1000);
  });
  // A button pressed while a save is on its way waits for it, so the older save cannot land
  // after the button's post and undo newer answers.
  var submitLater = false;
  var submitter = null;
  form.addEventListener("submit", function (event) {
    window.clearTimeout(typingTimer);
    if (inFlight) {
      event.preventDefault();
      submitLater = true;
      submitter = event.submitter || null;
      say(labels.labelSaving);
      return;
    }
    leaving = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || (!dirty && !inFlight)) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // The time left; at zero the form is submitted and the server scores what it accepts.
  var box = document.getElementById("quiz-deadline");
  var output = box && box.querySelector(".quiz-countdown");
  var left = box ? parseInt(box.getAttribute("data-seconds-left"), 10) : NaN;
  if (!output || isNaN(left)) return;
  var end = Date.now() + left * 1000;
  output.hidden = false;
  box.classList.add("has-countdown");
  function tick() {
    var seconds = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    output.textContent = labels.labelLeft.replace("%(time)s", m + ":" + (s < 10 ? "0" : "") + s);
    if (seconds <= 60) box.classList.add("quiz-deadline-near");
    if (seconds > 0) {
      window.setTimeout(tick, Math.min(1000, end - Date.now()));
      return;
    }
    if (leaving || submitLater) return;
    var reason = document.createElement("input");
    reason.type = "hidden";
    reason.name = "deadline";
    reason.value = "1";
    form.appendChild(reason);
    var submit = document.getElementById("quiz-submit");
    if (form.requestSubmit && submit) {
      form.requestSubmit(submit);
      return;
    }
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "submit";
    form.appendChild(action);
    leaving = true;
    HTMLFormElement.prototype.submit.call(form);
  }
  tick();
})();
