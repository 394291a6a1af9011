// Inline rows of a formset: "Add another" copies the empty row kept in a <template>.
// Without JavaScript the page still works: every form shows spare empty rows.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (container) {
    var prefix = container.getAttribute("data-formset");
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = container.querySelector("template");
    var rows = container.querySelector(".app-formset__rows");
    var button = container.querySelector(".app-formset__add");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      var legend = row.querySelector("legend");
      if (legend) {
        legend.textContent = legend.textContent.replace("(new)", String(index + 1));
      }
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
  });
})();

// The error summary takes focus when a form comes back with errors, so a screen reader reads
// it first and a keyboard user can follow its links to each field (USWDS error pattern).
(function () {
  "use strict";
  var summary = document.querySelector(".app-error-summary");
  if (summary) {
    summary.focus();
  }
})();
