// Steward console: upload progress for the "Upload a new version" form.
// Without this script the form posts as a plain multipart form and works the same; with it the
// same request is sent by XMLHttpRequest so a <progress> bar and a live status can follow it.
(function () {
  "use strict";

  function enhance(form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector("progress");
    var box = bar ? bar.parentElement : null;
    var status = form.querySelector("[role=status]");
    var button = form.querySelector("button[type=submit]");
    var maxBytes = Number(form.getAttribute("data-max-bytes")) || 0;
    if (!input || !bar || !status || !window.FormData) {
      return;
    }

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("upload-error", Boolean(isError));
      status.setAttribute("role", isError ? "alert" : "status");
    }

    function finish() {
      button.disabled = false;
      box.hidden = true;
    }

    function errorFrom(xhr) {
      // The server answers a failed upload with the console page and its error box.
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var found = doc.querySelector(".error-box");
      return found ? found.textContent.trim() : "The upload failed (" + xhr.status + ").";
    }

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file) {
        return; // the browser's own "required" message applies
      }
      event.preventDefault();
      if (maxBytes && file.size > maxBytes) {
        say("The file is larger than this site accepts (" + maxBytes.toLocaleString() + " bytes).", true);
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round((e.loaded / e.total) * 100);
          bar.value = percent;
          bar.textContent = percent + "%";
          say("Uploading: " + percent + "%");
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.value = 100;
        say("Uploaded. Reading the file and checking it…");
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400) {
          // The server redirected to the dataset's page; go where it landed.
          window.location.assign(xhr.responseURL || form.action.replace(/\/versions$/, ""));
          return;
        }
        finish();
        say(errorFrom(xhr), true);
      });
      xhr.addEventListener("error", function () {
        finish();
        say("The upload was interrupted. Check the connection and try again.", true);
      });
      button.disabled = true;
      box.hidden = false;
      bar.value = 0;
      say("Uploading: 0%");
      xhr.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload]").forEach(enhance);
})();
