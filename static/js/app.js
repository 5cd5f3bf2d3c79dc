// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // Copy buttons for private links (hidden until this script shows them).
  document.querySelectorAll(".copy-button").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy link"; }, 2000);
      }, function () {
        source.select();
      });
    });
  });

  // Live character counters beside capped text fields.
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) { return; }
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var update = function () {
      counter.textContent = field.value.length + " / " + max + " characters";
    };
    field.addEventListener("input", update);
    update();
  });

  // A queued team PDF or export: poll its status, say each change in the live region, and show the download link
  // or the retry button when it settles. (Without script, the page's <noscript> refresh does the same.)
  var job = document.querySelector("[data-job-status]");
  if (job && (job.getAttribute("data-job-state") === "queued" || job.getAttribute("data-job-state") === "running")) {
    var live = document.getElementById("job-status");
    var wait = 1000;
    var settle = function (state) {
      var shown = job.querySelector(state === "done" ? ".job-done" : ".job-failed");
      if (shown) { shown.hidden = false; }
    };
    var poll = function () {
      fetch(job.getAttribute("data-job-status"), { headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (!response.ok && response.status !== 404) { throw new Error("status " + response.status); }
          return response.json();
        })
        .then(function (data) {
          var message = data.error ? data.error.message : data.message;
          if (live.textContent !== message) { live.textContent = message; }  // unchanged text is not re-announced
          if (data.error) { return; }  // the job is gone (expired, or its team deleted): nothing more to wait for
          job.setAttribute("data-job-state", data.state);
          var stalled = job.querySelector(".job-stalled");  // no worker will pick it up: offer to make it now
          if (stalled) { stalled.hidden = !data.stalled; }
          if (data.state === "done" || data.state === "failed") {
            settle(data.state);
            return;
          }
          wait = Math.min(wait * 1.25, 4000);
          setTimeout(poll, wait);
        })
        .catch(function () {
          wait = Math.min(wait * 2, 15000);  // the server or the network is struggling: ask less often
          setTimeout(poll, wait);
        });
    };
    setTimeout(poll, wait);
  }

  // Bring the error summary into view so keyboard and screen-reader users land on it.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
