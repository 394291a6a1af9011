// An import job's progress bar (templates/imports/import_job.html): polls the job's status
// every 1.5 s and moves the bar; when the job finishes, reloads the page to show the result.
// Without JavaScript the page's "Refresh" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector(".app-import-progress[data-status-url]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var started = box.getAttribute("data-status");

  function show(state) {
    bar.max = Math.max(state.rows, 1);
    bar.value = state.progress;
    bar.textContent = state.percent + "%";
    text.textContent = state.progress + " done (" + state.percent + "%)";
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.running || state.status !== started) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // the server is busy or restarting: try again later
      });
  }

  window.setTimeout(poll, 1000);
})();
