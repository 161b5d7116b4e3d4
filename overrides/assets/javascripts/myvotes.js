/* DataCity: the "my votes" page. Shows this browser's voter code (from the API, which alone sees the cookie) with a
   copy button, and looks for a code's votes in a published vote log, in the browser: each challenge's entry is
   sha256(salt + token), as scripts/verify_tally.py computes it. The code is never sent anywhere.
   The code's form (api/chalicelib/votes/receipts.py): the token's 16 bytes in Crockford's base32, then two check
   characters (the number modulo 1021), in groups of four; the token's own form (22 characters) is accepted too. */
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var OLD_FORM = /^[A-Za-z0-9_-]{22}$/;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The token of a code: a string, or "not_code" / "mistyped" (the page's message keys). */
  function tokenOf(text) {
    text = text.trim();
    if (OLD_FORM.test(text)) return { token: text };
    var compact = text.replace(/[\s-]/g, "").toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
    if (compact.length !== 28) return { error: "not_code" };
    var value = 0n;
    for (var i = 0; i < compact.length; i++) {
      var digit = ALPHABET.indexOf(compact[i]);
      if (digit < 0) return { error: "mistyped" };
      value = value * 32n + BigInt(digit);
    }
    var number = value >> 10n, check = value & 1023n;
    if (number >> 128n || number % 1021n !== check) return { error: "mistyped" };
    var bytes = "";
    for (var k = 15; k >= 0; k--) bytes += String.fromCharCode(Number((number >> BigInt(8 * k)) & 255n));
    return { token: btoa(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") };
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function entryOf(saltHex, token) {
    var salt = saltHex.match(/../g).map(function (h) { return parseInt(h, 16); });
    var text = new TextEncoder().encode(token);
    var data = new Uint8Array(salt.length + text.length);
    data.set(salt, 0);
    data.set(text, salt.length);
    return crypto.subtle.digest("SHA-256", data).then(hex);
  }

  function say(region, message, isError) {
    region.textContent = "";
    region.className = region.className.replace(/ dc-live--error/g, "") + (isError ? " dc-live--error" : "");
    if (typeof message === "string") region.appendChild(el("p", "", message));
    else region.appendChild(message);
  }

  var codeSection = document.querySelector("[data-dc-myvotes]");
  var checkSection = document.querySelector("[data-dc-votecheck]");
  if (!codeSection) return;
  var texts = JSON.parse(codeSection.querySelector(".dc-texts").textContent);
  var lang = codeSection.getAttribute("data-lang") || "fr";
  var field = checkSection && checkSection.querySelector("#dc-check-code");

  function showCode(code) {
    var box = codeSection.querySelector("[data-dc=code]");
    box.textContent = "";
    box.removeAttribute("role");
    box.appendChild(el("p", "", texts.code_label));
    var shown = el("p", "dc-code");
    var value = el("code", "", code);
    value.id = "dc-my-code";
    value.setAttribute("translate", "no");
    shown.appendChild(value);
    box.appendChild(shown);
    var row = el("p", "dc-code__actions");
    var button = el("button", "md-button", texts.copy);
    button.type = "button";
    var status = el("span", "dc-code__status");
    status.setAttribute("role", "status");
    row.appendChild(button);
    row.appendChild(document.createTextNode(" "));
    row.appendChild(status);
    box.appendChild(row);
    box.appendChild(el("p", "", texts.code_keep));
    button.addEventListener("click", function () {
      function selectIt() {
        var range = document.createRange();
        range.selectNodeContents(value);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      var copied = navigator.clipboard && navigator.clipboard.writeText
        ? navigator.clipboard.writeText(code) : Promise.reject(new Error("no clipboard"));
      copied.then(function () { status.textContent = texts.copied; }, function () {
        selectIt();
        status.textContent = texts.copy_failed;
      });
    });
    if (field && !field.value) field.value = code;
  }

  var box = codeSection.querySelector("[data-dc=code]");
  codeSection.querySelector(".dc-myvotes__nojs").hidden = true;
  box.hidden = false;
  box.textContent = texts.code_loading;
  fetch(codeSection.getAttribute("data-api") + "/me/receipt", {
    credentials: "same-origin", headers: { Accept: "application/json", "Accept-Language": lang }
  }).then(function (response) {
    // The body is read in every case: an answer left unread keeps its request open (and the page never idle).
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (response.status === 404) { box.textContent = texts.code_none; return; }
      if (!response.ok) throw new Error(String(response.status));
      showCode(data.code || data.token);
    });
  }).catch(function () { box.textContent = texts.code_failed; });

  if (!checkSection) return;
  var logs = JSON.parse(checkSection.querySelector(".dc-logs").textContent);
  var form = checkSection.querySelector("[data-dc=check]");
  var result = form.querySelector("[data-dc=result]");
  var plural = new Intl.PluralRules(lang);
  var loaded = {};
  form.hidden = false;
  checkSection.querySelector("[data-dc=nojs]").hidden = true;

  function load(program) {
    if (!loaded[program]) {
      loaded[program] = fetch(logs[program].log, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
      loaded[program].catch(function () { delete loaded[program]; });
    }
    return loaded[program];
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var program = form.elements.program.value;
    var info = logs[program];
    var parsed = tokenOf(field.value);
    if (parsed.error) {
      field.setAttribute("aria-invalid", "true");
      say(result, texts[parsed.error], true);
      field.focus();
      return;
    }
    field.removeAttribute("aria-invalid");
    say(result, texts.checking);
    load(program).then(function (log) {
      return Promise.all((log.challenges || []).map(function (challenge) {
        if (!/^[0-9a-f]{64}$/.test(challenge.salt || "")) return null;
        return entryOf(challenge.salt, parsed.token).then(function (entry) {
          var mine = (challenge.entries || []).some(function (e) { return e.entry === entry; });
          return mine ? challenge.id : null;
        });
      }));
    }).then(function (found) {
      found = found.filter(Boolean);
      if (!found.length) {
        say(result, texts.none_found.replace("{program}", info.title));
        return;
      }
      var block = el("div");
      var sentence = texts.found[plural.select(found.length)] || texts.found.other;
      block.appendChild(el("p", "", sentence.replace("{n}", found.length.toLocaleString(lang))
        .replace("{program}", info.title)));
      var list = el("ul");
      found.forEach(function (id) {
        var item = el("li");
        var known = info.challenges[id];
        if (known) {
          var a = el("a", "", known[0]);
          a.href = known[1];
          item.appendChild(a);
        } else {
          item.textContent = id;
        }
        list.appendChild(item);
      });
      block.appendChild(list);
      say(result, block);
    }).catch(function () { say(result, texts.log_failed, true); });
  });
})();
