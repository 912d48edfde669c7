/* Small behaviours shared by every page. No inline script anywhere: the Content Security
   Policy allows scripts from this site only. Each behaviour is an enhancement; the page
   works without it. */
(function () {
  "use strict";

  /* Copy buttons (citations): <button data-copy="id-of-text" hidden>, status in #copy-status. */
  function copyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.copy).textContent;
        navigator.clipboard.writeText(text).then(function () {
          var status = document.getElementById("copy-status");
          if (status) status.textContent = status.dataset.copied || "";
        });
      });
    });
  }

  /* "Show in my time zone" for visitors who are not signed in: the browser's own zone. */
  function browserZone(root) {
    root.querySelectorAll("a[data-browser-zone]").forEach(function (link) {
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (zone) link.href = "?tz=" + encodeURIComponent(zone);
      } catch (e) { /* keep the plain link */ }
    });
  }

  /* Character counters: <textarea data-count-into="id-of-span">. */
  function counters(root) {
    root.querySelectorAll("[data-count-into]").forEach(function (field) {
      if (field.dataset.counting) return;
      field.dataset.counting = "1";
      field.addEventListener("input", function () {
        var target = document.getElementById(field.dataset.countInto);
        if (target) target.textContent = field.value.length;
      });
    });
  }

  function enhance(root) {
    copyButtons(root);
    browserZone(root);
    counters(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  /* Parts swapped in by htmx get the same behaviours. */
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
