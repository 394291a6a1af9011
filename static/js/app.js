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

// A date the browser's picker cannot hold (02/30/2026) is sent as an empty value, which the
// server would take for a missing date. Say that something was typed: the server then
// answers that the date does not exist (core.web.forms.DatePickerInput).
(function () {
  "use strict";
  document.querySelectorAll("form[method='post']").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[type='date']").forEach(function (input) {
        var flag = form.querySelector("input[name='" + input.name + "__bad']");
        if (input.validity && input.validity.badInput) {
          if (!flag) {
            flag = document.createElement("input");
            flag.type = "hidden";
            flag.name = input.name + "__bad";
            form.appendChild(flag);
          }
          flag.value = "1";
        } else if (flag) {
          flag.parentNode.removeChild(flag);
        }
      });
    });
  });
})();
