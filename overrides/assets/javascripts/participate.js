/* DataCity: vote, comment, report and propose in place. No framework, no dependency.
   Every form also works without this script (the API answers 303 back to the page).
   Text from the API is only ever inserted with textContent, never as HTML. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setup(section) {
    if (section.getAttribute("data-dc-ready")) return;
    section.setAttribute("data-dc-ready", "1");
    var api = section.getAttribute("data-api");
    var lang = section.getAttribute("data-lang") || "fr";
    var id = section.getAttribute("data-challenge");
    var texts = JSON.parse(section.querySelector(".dc-texts").textContent);
    var live = section.querySelector(".dc-live");
    var plural = new Intl.PluralRules(lang);

    function say(message, isError) {
      live.textContent = "";
      live.className = "dc-live" + (isError ? " dc-live--error" : "");
      window.setTimeout(function () { live.textContent = message; }, 60);
    }

    function call(method, path, body) {
      var headers = { "Accept-Language": lang };
      if (body) headers["Content-Type"] = "application/json";
      return fetch(api + path, {
        method: method, credentials: "same-origin", headers: headers,
        body: body ? JSON.stringify(body) : undefined
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) return data;
          var error = new Error(data.detail || (response.status === 429 ? texts.rate : texts.network));
          error.field = data.field;
          throw error;
        });
      }, function () { throw new Error(texts.network); });
    }

    function day(iso) {
      return new Date(iso).toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    }

    var tally = section.querySelector("[data-dc=tally]");
    var voteForm = section.querySelector("[data-dc=vote]");
    function showTally(t) {
      var count = !t.visible ? texts.count_hidden
        : (texts.count[plural.select(t.count)] || texts.count.other).replace("{n}", t.count.toLocaleString(lang));
      var state = t.participation.state;
      // Once closed, "not voted yet" would invite a vote that is no longer possible, and the page already says
      // it is closed; only a vote that counts is worth repeating.
      var lines = [count];
      if (state === "open" || t.voted) lines.push(t.voted ? texts.voted : texts.not_voted);
      if (state === "upcoming") lines.push(texts.upcoming.replace("{date}", day(t.participation.opens)));
      tally.textContent = "";
      lines.forEach(function (line, i) {
        if (i) tally.appendChild(document.createTextNode(" "));
        tally.appendChild(el("span", "dc-tally__line", line));
      });
      if (voteForm) {
        voteForm.hidden = state !== "open";
        voteForm.querySelector("[data-dc=vote-button]").hidden = t.voted;
        voteForm.querySelector("[data-dc=withdraw-button]").hidden = !t.voted;
      }
    }

    if (voteForm) voteForm.querySelector("[data-dc=withdraw-button]").hidden = true;
    if (tally && id) {
      call("GET", "/challenges/" + id + "/tally").then(showTally, function (e) { tally.textContent = e.message; });
    }

    if (voteForm) {
      voteForm.addEventListener("submit", function (event) {
        event.preventDefault();
        var withdraw = event.submitter ? event.submitter.value === "withdraw"
          : !voteForm.querySelector("[data-dc=withdraw-button]").hidden;
        call(withdraw ? "DELETE" : "PUT", "/challenges/" + id + "/vote").then(function (t) {
          showTally(t);
          say(withdraw ? texts["vote-withdrawn"] : texts["vote-recorded"]);
          // The pressed button is now hidden: keep keyboard focus on the one that replaced it.
          voteForm.querySelector(t.voted ? "[data-dc=withdraw-button]" : "[data-dc=vote-button]").focus();
        }, function (e) { say(e.message, true); });
      });
    }

    var list = section.querySelector("[data-dc=comments]");
    var more = null;
    function comment(c) {
      var item = el("article", "dc-comment");
      item.setAttribute("tabindex", "-1");
      var head = el("p", "dc-comment__head");
      head.appendChild(el("strong", "", c.display_name || texts.anonymous));
      head.appendChild(document.createTextNode(" · "));
      var time = el("time", "", day(c.created_at));
      // HTML allows at most 3 digits of fractions of a second; the API sends microseconds.
      var when = new Date(c.created_at);
      if (!isNaN(when)) time.setAttribute("datetime", when.toISOString());
      head.appendChild(time);
      item.appendChild(head);
      item.appendChild(el("p", "dc-comment__text", c.text));
      var details = el("details", "dc-report");
      details.appendChild(el("summary", "", texts.report));
      var form = el("form");
      var label = el("label", "", texts.report_reason);
      var select = el("select");
      select.id = label.htmlFor = "dc-reason-" + c.id;
      Object.keys(texts.reasons).forEach(function (key) {
        var option = el("option", "", texts.reasons[key]);
        option.value = key;
        select.appendChild(option);
      });
      var send = el("button", "md-button", texts.report_send);
      send.type = "submit";
      form.appendChild(label); form.appendChild(select); form.appendChild(send);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        call("POST", "/comments/" + c.id + "/reports", { reason: select.value }).then(function () {
          var done = el("p", "", texts["report-received"]);
          done.setAttribute("tabindex", "-1");
          details.replaceWith(done);
          done.focus();
          say(texts["report-received"]);
        }, function (e) { say(e.message, true); });
      });
      details.appendChild(form);
      item.appendChild(details);
      return item;
    }

    function load(cursor) {
      var query = "?order=oldest" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
      return call("GET", "/challenges/" + id + "/comments" + query).then(function (page) {
        if (!cursor) list.textContent = "";
        var first = null;
        page.comments.forEach(function (c) {
          var node = comment(c);
          first = first || node;
          list.appendChild(node);
        });
        if (!list.children.length) list.appendChild(el("p", "dc-empty", texts.no_comments));
        if (more) more.remove();
        more = null;
        if (page.next) {
          more = el("button", "md-button", texts.more);
          more.type = "button";
          more.addEventListener("click", function () { load(page.next).then(function (f) { if (f) f.focus(); }); });
          list.after(more);
        }
        return first;
      }, function () { list.textContent = ""; });  // the tally line already says the service is unreachable
    }
    if (list && id) {
      list.textContent = texts.loading;
      load(null);
    }

    function sendForm(form, path, done) {
      var error = form.querySelector("[data-dc=error]");
      var status = form.querySelector("[data-dc=status]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = {};
        Array.prototype.forEach.call(form.elements, function (field) {
          if (!field.name || field.name === "lang" || field.type === "submit") return;
          if (field.type === "checkbox") body[field.name] = field.checked;
          else if (field.value.trim()) body[field.name] = field.value;
          field.removeAttribute("aria-invalid");
        });
        error.hidden = true;
        status.textContent = "";
        call("POST", path, body).then(function (result) {
          form.reset();
          // Said next to the button just pressed, where the eye and the screen reader are.
          status.textContent = done(result);
        }, function (e) {
          error.textContent = e.message;
          error.hidden = false;
          var field = e.field && form.elements[e.field];
          if (field && field.focus) {
            field.setAttribute("aria-invalid", "true");
            field.setAttribute("aria-errormessage", error.id || (error.id = "dc-error-" + path.length));
            field.focus();
          }
        });
      });
    }

    var commentForm = section.querySelector("[data-dc=comment]");
    if (commentForm) {
      sendForm(commentForm, "/challenges/" + id + "/comments", function (c) {
        if (c.status === "published") {
          var empty = list.querySelector(".dc-empty");
          if (empty) empty.remove();
          list.appendChild(comment(c));
        }
        return texts["comment-" + c.status];
      });
    }
    var proposal = section.querySelector("[data-dc=proposal]");
    if (proposal) {
      var program = proposal.getAttribute("action").split("/programs/")[1].split("/")[0];
      sendForm(proposal, "/programs/" + program + "/proposals", function () { return texts["proposal-received"]; });
    }

    var target = window.location.hash.indexOf("#dc-msg-") === 0 && document.getElementById(window.location.hash.slice(1));
    if (target) target.focus();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".dc-participate"), setup);
  }
  // Material's instant navigation swaps pages without a reload and announces it on document$.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
