/* The staff console's small script (a versioned file of the site, assets/javascripts/console.<hash>.js). The pages
   are plain forms that work without it; it only:
   - asks before an action that cannot be undone (buttons with data-confirm: revoking a token);
   - after a form's answer, puts the keyboard focus on its message (role=status or alert), so that a screen reader
     reads it and the next Tab starts from there, instead of from the top of a new page;
   - selects a token shown once when it gets the focus, ready to copy;
   - keeps a form from being sent twice by a double click. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector("button[type=submit]");
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.getAttribute("data-sent") === "1") {
      event.preventDefault();
      return;
    }
    if ((form.method || "").toLowerCase() === "post") {
      form.setAttribute("data-sent", "1");
    }
  });

  // Back from the browser's cache (the back button): the form may be sent again.
  window.addEventListener("pageshow", function () {
    var sent = document.querySelectorAll("form[data-sent]");
    for (var i = 0; i < sent.length; i++) sent[i].removeAttribute("data-sent");
  });

  function focusMessage() {
    var message = document.querySelector("main [role=alert], main [role=status], main #new-token");
    if (!message) return;
    if (message.id === "new-token") {
      message.focus();
      return;
    }
    if (!message.hasAttribute("tabindex")) message.setAttribute("tabindex", "-1");
    message.focus();
  }

  var token = document.getElementById("new-token");
  if (token) {
    token.addEventListener("focus", function () { token.select(); });
  }

  // After "load": a redirect's #main fragment is scrolled to first, which would take the focus away again.
  if (document.readyState === "complete") {
    focusMessage();
  } else {
    window.addEventListener("load", focusMessage);
  }
})();
