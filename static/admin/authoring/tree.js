// Drag-and-drop reordering of a course's module tree and of the content items in it. Each drop
// posts the new place to a move endpoint (syllabus.services.module_move for a module's parent
// and position, content.services.content_item_move for an item's module and position); the
// page then shows the tree as the server has it, so what you see is always what is stored.
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

  async function post(url, fields) {
    const body = new URLSearchParams(fields);
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body,
      credentials: "same-origin",
    });
    let reply = {};
    try { reply = await response.json(); } catch (error) { reply = { message: response.statusText }; }
    return { ok: response.ok && reply.ok, message: reply.message || "" };
  }

  function move(id, place) {
    return post(tree.dataset.moveUrl.replace("{id}", id), place);
  }

  async function settle(request) {
    status.textContent = "…";
    const result = await request;
    if (result.ok) {
      window.location.reload();  // the browser keeps the scroll position
    } else {
      status.textContent = result.message;
      status.classList.add("error");
    }
  }

  // Items: dropped on another item, before or after it; dropped on a module's row, last in it.
  let draggedItem = null;

  function itemTarget(event) {
    const over = event.target.closest(".item-row, .node-row");
    if (!over || over === draggedItem) return null;
    if (over.classList.contains("node-row")) {
      return { row: over, mark: "inside", place: { module: over.parentElement.dataset.id, position: "" } };
    }
    const box = over.getBoundingClientRect();
    const before = event.clientY - box.top < box.height / 2;
    const siblings = Array.from(over.parentElement.children).filter((li) => li !== draggedItem);
    const index = siblings.indexOf(over) + 1;
    return {
      row: over,
      mark: before ? "before" : "after",
      place: { module: over.dataset.module, position: String(before ? index : index + 1) },
    };
  }

  tree.addEventListener("dragstart", (event) => {
    const item = event.target.closest(".item-row");
    if (!item || !item.dataset.moveUrl) return;
    draggedItem = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.id);
  });
  tree.addEventListener("dragend", () => {
    if (draggedItem) draggedItem.classList.remove("dragging");
    draggedItem = null;
    clearMarks();
  });
  tree.addEventListener("dragover", (event) => {
    if (!draggedItem) return;
    const target = itemTarget(event);
    clearMarks();
    if (!target) return;
    event.preventDefault();
    target.row.classList.add(`drop-${target.mark}`);
  });
  tree.addEventListener("drop", (event) => {
    if (!draggedItem) return;
    const target = itemTarget(event);
    clearMarks();
    if (!target) return;
    event.preventDefault();
    settle(post(draggedItem.dataset.moveUrl, target.place));
  });

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
  tree.addEventListener("drop", (event) => {
    const row = event.target.closest(".node-row");
    if (!row || !dragged || dragged.contains(row)) return;
    event.preventDefault();
    const place = target(row.parentElement, zone(row, event));
    const id = dragged.dataset.id;
    clearMarks();
    if (!place) return;
    settle(move(id, place));
  });
})();
