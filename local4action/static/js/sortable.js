/* Drag and drop to reorder the items of lists marked [data-sortable] inside a
   [data-sortable-root data-reorder-url]. Progressive enhancement: without this script the
   "Move up" / "Move down" buttons (plain forms) do the same, and keyboard users keep them.
   On drop it POSTs {question, page, position} as JSON with the CSRF token; if the server
   refuses or cannot be reached, the page reloads to show the order that was kept. */
(function () {
  "use strict";

  var root = document.querySelector("[data-sortable-root][data-reorder-url]");
  if (!root || !("draggable" in document.createElement("li")) || !window.fetch) return;

  var url = root.getAttribute("data-reorder-url");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var token = tokenInput ? tokenInput.value : "";
  var dragged = null;

  function items(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.hasAttribute("data-question");
    });
  }

  function itemAfter(list, y) {
    var after = null;
    items(list).some(function (item) {
      if (item === dragged) return false;
      var box = item.getBoundingClientRect();
      if (y < box.top + box.height / 2) {
        after = item;
        return true;
      }
      return false;
    });
    return after;
  }

  function send(list) {
    var body = JSON.stringify({
      question: Number(dragged.getAttribute("data-question")),
      page: Number(list.getAttribute("data-page")),
      position: items(list).indexOf(dragged),
    });
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: body,
    })
      .then(function (response) {
        if (!response.ok) window.location.reload();
      })
      .catch(function () {
        window.location.reload();
      });
  }

  root.querySelectorAll("[data-sortable] > [data-question]").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.classList.add("draggable");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-question"));
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("dragging");
      // Dropped outside a list: the item may have moved on screen only; show the kept order.
      if (dragged) {
        dragged = null;
        window.location.reload();
      }
    });
  });

  root.querySelectorAll("[data-sortable]").forEach(function (list) {
    list.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      var after = itemAfter(list, event.clientY);
      if (after) list.insertBefore(dragged, after);
      else list.appendChild(dragged);
    });
    list.addEventListener("drop", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var empty = list.querySelector(".empty");
      if (empty) empty.remove();
      send(list);
      dragged = null;
    });
  });
})();
