// Row lists of the typed content editors (text blocks, lab files, resources): add rows, move
// them up and down (the ORDER fields follow, so the server stores what you see), show only the
// fields of the chosen block type, and render math as you type through the preview endpoint.
"use strict";
(function () {
  const csrf = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;

  function renumber(set) {
    set.querySelectorAll(".rows > .row-form").forEach((row, index) => {
      const order = row.querySelector("input[name$='-ORDER']");
      if (order) order.value = index + 1;
    });
  }

  function showFieldsForType(row) {
    const select = row.querySelector("select.block-type");
    if (!select) return;
    row.querySelectorAll("[data-for]").forEach((input) => {
      input.closest(".row-field").hidden = input.dataset.for !== select.value;
    });
  }

  let timer = null;
  function previewMath(row, previewUrl) {
    const input = row.querySelector("textarea.latex-input");
    const out = row.querySelector(".math-preview");
    if (!input || !out || !previewUrl) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!input.value.trim()) { out.textContent = ""; return; }
      const display = row.querySelector("input[name$='-display']");
      const body = new URLSearchParams({ latex: input.value, display: display && display.checked ? "true" : "false" });
      const response = await fetch(previewUrl, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      const reply = await response.json();
      out.classList.toggle("error", !reply.ok);
      if (reply.ok) out.innerHTML = reply.html; else out.textContent = reply.message;
    }, 250);
  }

  function wire(set, row) {
    showFieldsForType(row);
    previewMath(row, set.dataset.previewUrl);
  }

  document.querySelectorAll(".row-formset").forEach((set) => {
    const rows = set.querySelector(".rows");
    const total = set.querySelector("input[name$='-TOTAL_FORMS']");
    const template = set.querySelector("template.empty-row");
    rows.querySelectorAll(".row-form").forEach((row) => wire(set, row));
    renumber(set);

    set.querySelector(".add-row").addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      const row = rows.lastElementChild;
      wire(set, row);
      renumber(set);
      const first = row.querySelector("select, input:not([type=hidden]), textarea");
      if (first) first.focus();
    });

    set.addEventListener("click", (event) => {
      const button = event.target.closest(".move-up, .move-down");
      if (!button) return;
      const row = button.closest(".row-form");
      if (button.classList.contains("move-up") && row.previousElementSibling) {
        rows.insertBefore(row, row.previousElementSibling);
      } else if (button.classList.contains("move-down") && row.nextElementSibling) {
        rows.insertBefore(row.nextElementSibling, row);
      }
      renumber(set);
      button.focus();
    });

    set.addEventListener("change", (event) => {
      const row = event.target.closest(".row-form");
      if (!row) return;
      if (event.target.matches("select.block-type")) showFieldsForType(row);
      if (event.target.matches("input[name$='-DELETE']")) row.classList.toggle("deleted", event.target.checked);
      if (event.target.matches("input[name$='-display']")) previewMath(row, set.dataset.previewUrl);
    });
    set.addEventListener("input", (event) => {
      if (event.target.matches("textarea.latex-input")) previewMath(event.target.closest(".row-form"), set.dataset.previewUrl);
    });
  });
})();
