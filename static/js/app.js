// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // One polite live region for the page's status changes (a copied link, a character count near its cap). It is
  // in the page before anything is said into it, which screen readers need in order to announce a change.
  var announcer = document.createElement("p");
  announcer.id = "announcer";
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.appendChild(announcer);
  var announce = function (message) {
    // The same words twice in a row are not a change: clear first so that a second copy is announced too.
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = message; }, 50);
  };

  // Copy buttons for private links (hidden until this script shows them).
  document.querySelectorAll(".copy-button").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    var label = button.textContent;
    var named = source.labels && source.labels.length ? source.labels[0].textContent.split(":")[0].trim() : "Link";
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = "Copied";
        announce(named + " copied to the clipboard.");
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        source.focus();
        source.select();
        announce("Could not copy. The link is selected: copy it with your keyboard or menu.");
      });
    });
  });

  // Character counters beside capped text fields. The visible count follows every keystroke but is not a live
  // region; screen readers hear the count only once typing pauses and the field is near its cap.
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) { return; }
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var pause = null;
    var update = function () {
      counter.textContent = field.value.length + " / " + max + " characters";
    };
    field.addEventListener("input", function () {
      update();
      clearTimeout(pause);
      pause = setTimeout(function () {
        var left = max - field.value.length;
        if (left <= Math.max(10, Math.round(max / 10))) {
          announce(left === 0 ? "No characters left." : left + (left === 1 ? " character" : " characters") + " left.");
        }
      }, 1000);
    });
    update();
  });

  // A queued team PDF or export: poll its status, say each change in the live region, and show the download link
  // or the retry button when it settles. Only the status region changes; the page is never reloaded. (Without
  // script, the page offers a "Check again" link instead.)
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

  // An error-summary link lands on the first control of its field; bring the field's legend or label into view
  // with it, since the control alone would hide the question above it.
  document.querySelectorAll("#error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var control = document.getElementById(link.getAttribute("href").slice(1));
      if (!control) { return; }
      event.preventDefault();
      var legend = control.closest("fieldset") ? control.closest("fieldset").querySelector("legend") : null;
      var label = legend || (control.labels && control.labels[0]) || control;
      label.scrollIntoView();
      control.focus({ preventScroll: true });
    });
  });

  // After a page load, put focus where the news is: the error summary of a refused form, else a flashed message
  // (a save, with its time; a deletion), so that keyboard and screen-reader users start there.
  var summary = document.getElementById("error-summary");
  var flash = document.querySelector(".flashes .flash");
  if (summary) {
    summary.focus();
  } else if (flash) {
    flash.focus();
  }
})();
