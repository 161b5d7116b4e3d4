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
    // The direction of the section's language (CLDR's, written by the page): what the script adds inherits it.
    section.dir = section.getAttribute("data-dir") || "ltr";
    var id = section.getAttribute("data-challenge");
    var texts = JSON.parse(section.querySelector(".dc-texts").textContent);
    var live = section.querySelector(".dc-live");
    var plural = new Intl.PluralRules(lang);

    function say(message, isError) {
      live.textContent = "";
      live.className = "dc-live" + (isError ? " dc-live--error" : "");
      window.setTimeout(function () { live.textContent = message; }, 60);
    }

    // In production CloudFront signs its requests to the API (origin access control for a Lambda function URL),
    // and for a PUT or POST it needs the SHA-256 of the body from the browser, in x-amz-content-sha256
    // (docs/operations.md, "Protection"). Sent on every call with a body; the API itself ignores it.
    function bodyHash(text) {
      return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (digest) {
        return Array.prototype.map.call(new Uint8Array(digest), function (b) {
          return ("0" + b.toString(16)).slice(-2);
        }).join("");
      });
    }

    function call(method, path, body) {
      var headers = { "Accept-Language": lang };
      var text = body ? JSON.stringify(body) : "";
      if (body) headers["Content-Type"] = "application/json";
      var signed = method === "GET" || method === "HEAD" ? Promise.resolve(null) : bodyHash(text);
      return signed.then(function (hash) {
        if (hash) headers["x-amz-content-sha256"] = hash;
        return fetch(api + path, {
          method: method, credentials: "same-origin", headers: headers, body: body ? text : undefined
        });
      }, function () { throw new Error(texts.network); }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) return data;
          var error = new Error(data.detail || (response.status === 429 ? texts.rate : texts.network));
          error.field = data.field;
          // A verified program (docs/api.md): the page where the resident confirms residence, then comes back.
          error.verify = data.verify;
          throw error;
        });
      }, function () { throw new Error(texts.network); });
    }

    // As the pages write dates (site_builder/i18n.py date, CLDR's long date in the page's CLDR locale, which the
    // page gives: en-GB's "1 November 2026", not en-US's "November 1, 2026"; "1 de novembre del 2026"), on the day
    // of the instant's own offset (the program's), not the browser's time zone.
    var longDate = new Intl.DateTimeFormat(texts.date_locale || lang,
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    function day(iso) {
      var parts = iso.slice(0, 10).split("-").map(Number);
      return longDate.format(new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])));
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
        }, function (e) {
          if (e.verify) { window.location.assign(e.verify); return; }
          say(e.message, true);
        });
      });
    }

    var list = section.querySelector("[data-dc=comments]");
    var more = null;
    function comment(c) {
      var item = el("article", "dc-comment");
      item.setAttribute("tabindex", "-1");
      var head = el("p", "dc-comment__head");
      var name = el("strong", "", c.display_name || texts.anonymous);
      // A resident's own words may be in another script than the page's: each gets its own direction (bidi).
      if (c.display_name) name.dir = "auto";
      head.appendChild(name);
      head.appendChild(document.createTextNode(" · "));
      var time = el("time", "", day(c.created_at));
      // HTML allows at most 3 digits of fractions of a second; the API sends microseconds.
      var when = new Date(c.created_at);
      if (!isNaN(when)) time.setAttribute("datetime", when.toISOString());
      head.appendChild(time);
      item.appendChild(head);
      var words = el("p", "dc-comment__text", c.text);
      words.dir = "auto";
      item.appendChild(words);
      var details = el("details", "dc-report");
      details.appendChild(el("summary", "", texts.report));
      var form = el("form");
      var label = el("label", "", texts.report_reason);
      var select = el("select");
      select.id = label.htmlFor = "dc-reason-" + c.id;
      // No reason chosen for the resident: a hurried report of abuse must not leave as "spam".
      select.required = true;
      var none = el("option", "", texts.report_choose);
      none.value = "";
      select.appendChild(none);
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

    // A long text's length as the API counts it: code points, line breaks as one, ends trimmed.
    function length(value) {
      return Array.from(value.replace(/\r\n?/g, "\n").trim()).length;
    }
    var number = new Intl.NumberFormat(lang);
    function overBy(field) {
      var max = Number(field.getAttribute("data-dc-limit"));
      return { n: length(field.value), max: max, extra: length(field.value) - max };
    }
    function filled(template, v) {
      return template.replace("{n}", number.format(v.n)).replace("{max}", number.format(v.max))
        .replace("{extra}", number.format(v.extra));
    }
    function countAs(field, counter) {
      var v = overBy(field);
      counter.textContent = filled(v.extra > 0 ? texts.over : texts.counter, v);
      counter.className = "dc-counter" + (v.extra > 0 ? " dc-counter--over" : "");
      if (v.extra > 0) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
    Array.prototype.forEach.call(section.querySelectorAll("[data-dc=counter]"), function (counter) {
      var field = document.getElementById(counter.getAttribute("data-for"));
      if (!field) return;
      counter.hidden = false;
      countAs(field, counter);
      field.addEventListener("input", function () { countAs(field, counter); });
    });

    function sendForm(form, path, done) {
      var error = form.querySelector("[data-dc=error]");
      var status = form.querySelector("[data-dc=status]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        // Said before sending, never cut: the text stays in its field until the resident shortens it.
        var long = Array.prototype.filter.call(form.querySelectorAll("[data-dc-limit]"), function (f) {
          return overBy(f).extra > 0;
        })[0];
        if (long) {
          error.textContent = filled(texts.over, overBy(long));
          error.hidden = false;
          status.textContent = "";
          long.setAttribute("aria-invalid", "true");
          long.setAttribute("aria-errormessage", error.id || (error.id = "dc-error-" + path.length));
          long.focus();
          return;
        }
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
          Array.prototype.forEach.call(form.querySelectorAll("[data-dc=counter]"), function (counter) {
            countAs(document.getElementById(counter.getAttribute("data-for")), counter);
          });
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

  // WCAG 1.4.13: a glossary definition shown on hover or focus can be dismissed with Escape without moving.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    Array.prototype.forEach.call(document.querySelectorAll(".dc-term:hover, .dc-term:focus-within"), function (term) {
      term.classList.add("dc-term--dismissed");
      var back = function () { term.classList.remove("dc-term--dismissed"); };
      term.addEventListener("mouseleave", back, { once: true });
      term.addEventListener("focusout", back, { once: true });
    });
  });

  // A list of challenges (a program's listing pages): every card's count from one GET /programs/{id}/tallies,
  // never one call per card. Counts not public yet stay out of the cards (the program page says when they are).
  function setupTallies(list) {
    if (list.getAttribute("data-dc-ready")) return;
    list.setAttribute("data-dc-ready", "1");
    var lang = list.getAttribute("data-lang") || "fr";
    var texts = JSON.parse(list.getAttribute("data-dc-texts"));
    var plural = new Intl.PluralRules(lang);
    var program = list.getAttribute("data-dc-tallies");
    fetch(list.getAttribute("data-api") + "/programs/" + encodeURIComponent(program) + "/tallies", {
      credentials: "same-origin", headers: { "Accept-Language": lang }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      data.tallies.forEach(function (t) {
        if (!t.visible) return;
        var slot = list.querySelector('[data-dc-count="' + CSS.escape(t.challenge) + '"]');
        if (!slot) return;
        slot.textContent = (texts.count[plural.select(t.count)] || texts.count.other)
          .replace("{n}", t.count.toLocaleString(lang));
        slot.hidden = false;
      });
      list.setAttribute("data-dc-counted", "1");
    }, function () {
      // The cards are complete without their counts: a service that does not answer only leaves them out.
      list.setAttribute("data-dc-counted", "0");
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".dc-participate"), setup);
    Array.prototype.forEach.call(document.querySelectorAll("[data-dc-tallies]"), setupTallies);
  }
  // Material's instant navigation swaps pages without a reload and announces it on document$.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
