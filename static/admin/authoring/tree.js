// Drag-and-drop reordering of a course's module tree. Each drop posts the new parent and
// 1-based position to the move endpoint (syllabus.services.module_move); the page then shows
// the tree as the server has it, so what you see is always what is stored.
"use strict";
(function () {
  const tree = document.querySelector(".authoring-tree > .module-tree");
  if (!tree || tree.dataset.canChange !== "true") return;
  const status = document.getElementById("tree-status");
  const csrf = document.querySelector("#tree-csrf [name=csrfmiddlewaretoken]").value;
  let dragged = null;

  function zone(row, event) {
    const box = row.getBoundingClientRect();
    const y = (event.clientY - box.top) / box.height;
    return y < 0.3 ? "before" : y > 0.7 ? "after" : "inside";
  }

  function clearMarks() {
    tree.querySelectorAll(".drop-before, .drop-after, .drop-inside").forEach((el) =>
      el.classList.remove("drop-before", "drop-after", "drop-inside"));
  }

  // Where a drop lands: the new parent id and the position among its children, counting the
  // siblings without the dragged module (as module_move does).
  function target(node, where) {
    if (where === "inside") return { parent: node.dataset.id, position: "" };
    const parentId = node.dataset.parent;
    if (!parentId) return null;
    const siblings = Array.from(node.parentElement.children).filter((li) => li !== dragged);
    const index = siblings.indexOf(node) + 1;
    return { parent: parentId, position: String(where === "before" ? index : index + 1) };
  }

  async function move(id, place) {
    const body = new URLSearchParams({ parent: place.parent, position: place.position });
    const response = await fetch(tree.dataset.moveUrl.replace("{id}", id), {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body,
      credentials: "same-origin",
    });
    let reply = {};
    try { reply = await response.json(); } catch (error) { reply = { message: response.statusText }; }
    return { ok: response.ok && reply.ok, message: reply.message || "" };
  }

  tree.addEventListener("dragstart", (event) => {
    const row = event.target.closest(".node-row");
    if (!row) return;
    dragged = row.parentElement;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.id);
  });
  tree.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearMarks();
  });
  tree.addEventListener("dragover", (event) => {
    const row = event.target.closest(".node-row");
    if (!row || !dragged || dragged.contains(row)) return;
    event.preventDefault();
    clearMarks();
    row.classList.add(`drop-${zone(row, event)}`);
  });
  tree.addEventListener("drop", async (event) => {
    const row = event.target.closest(".node-row");
    if (!row || !dragged || dragged.contains(row)) return;
    event.preventDefault();
    const place = target(row.parentElement, zone(row, event));
    const id = dragged.dataset.id;
    clearMarks();
    if (!place) return;
    status.textContent = "…";
    const result = await move(id, place);
    if (result.ok) {
      window.location.reload();  // the browser keeps the scroll position
    } else {
      status.textContent = result.message;
      status.classList.add("error");
    }
  });
})();
