// Progressive enhancement only: every page works without this file. It adds a live
// character count to long text boxes (saying when a story will take the letter onto a
// second page), a copy button for the letter's text, a filter over a long list of choices,
// a message once a download has started, sizes the letter preview to its content and moves
// focus to an error summary.
(function () {
  "use strict";

  function chars(text) {
    // Characters as the server counts them: code points, a line end counted once.
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }

  document.querySelectorAll("textarea[data-limit]").forEach(function (box) {
    var limit = parseInt(box.getAttribute("data-limit"), 10);
    var onePage = parseInt(box.getAttribute("data-one-page") || "0", 10);
    var shown = document.querySelector('[data-count-for="' + box.id + '"]');
    if (!shown) { return; }
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    shown.parentNode.insertBefore(spoken, shown.nextSibling);
    var timer = null;
    function words(n) {
      var left = limit - n;
      var said = left >= 0
        ? "You have " + left.toLocaleString("en-GB") + " character" + (left === 1 ? "" : "s") + " left"
        : "You have " + (-left).toLocaleString("en-GB") + " character" + (left === -1 ? "" : "s") + " too many";
      if (left >= 0 && onePage && n > onePage) {
        said += ". Your letter will probably print on two pages";
      }
      return said;
    }
    function update(speak) {
      var n = chars(box.value);
      shown.textContent = words(n);
      shown.classList.toggle("over", n > limit);
      if (speak) {
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = words(n); }, 1000);
      }
    }
    shown.setAttribute("aria-hidden", "true");
    box.addEventListener("input", function () { update(true); });
    update(false);
  });

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector('[data-copy-status="' + box.id + '"]');
    button.hidden = false;
    button.addEventListener("click", function () {
      function done() { status.textContent = "Copied. Paste it into a new email to your MP."; }
      function fallback() {
        box.focus();
        box.select();
        try { document.execCommand("copy"); done(); }
        catch (e) { status.textContent = "Select the text above and copy it."; }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });

  document.querySelectorAll("iframe.paper").forEach(function (frame) {
    function fit() {
      try {
        var doc = frame.contentDocument;
        if (doc && doc.body) {
          var html = doc.documentElement;
          var bottom = doc.body.getBoundingClientRect().bottom + html.scrollTop;
          var margin = parseFloat(doc.defaultView.getComputedStyle(doc.body).marginBottom) || 0;
          frame.style.height = Math.ceil(bottom + margin + 4) + "px";
          // nothing to scroll now, nothing to operate: no tab stop
          frame.tabIndex = -1;
          doc.body.removeAttribute("tabindex");
        }
      } catch (e) { /* keep the fixed height */ }
    }
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    fit();
  });

  // A long list of choices (Northern Ireland's constituencies): the search box narrows it
  // as you type; without the script, its button does the same on the server.
  document.querySelectorAll("input[data-filter-list]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-filter-list"));
    var status = box.parentNode.querySelector("[data-filter-status]");
    var timer = null;
    function narrow() {
      var wanted = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      list.querySelectorAll(".choice[data-words]").forEach(function (choice) {
        var words = choice.getAttribute("data-words");
        var match = wanted.every(function (w) { return words.indexOf(w) !== -1; });
        choice.hidden = !match;
        if (match) { shown += 1; }
      });
      clearTimeout(timer);
      timer = setTimeout(function () {
        status.textContent = shown + " constituenc" + (shown === 1 ? "y" : "ies") + " shown";
      }, 600);
    }
    box.addEventListener("input", narrow);
  });

  // A download leaves the page as it is; the server sets a cookie naming this form's
  // download once the file is on its way, and the page says so.
  document.querySelectorAll("form[data-download]").forEach(function (form) {
    var status = form.querySelector("[data-download-status]");
    if (!status) { return; }
    var ticket = document.createElement("input");
    ticket.type = "hidden";
    ticket.name = "download";
    form.appendChild(ticket);
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.getAttribute("formaction")) { return; }
      var id = "";
      for (var i = 0; i < 16; i += 1) { id += "abcdefghijklmnopqrstuvwxyz0123456789".charAt(Math.floor(Math.random() * 36)); }
      ticket.value = id;
      var what = status.getAttribute("data-what");
      status.hidden = false;
      status.textContent = "Making " + what + ": it takes a few seconds.";
      var tries = 0;
      var poll = setInterval(function () {
        tries += 1;
        if (document.cookie.indexOf("ck_download=" + id) !== -1) {
          clearInterval(poll);
          document.cookie = "ck_download=; Max-Age=0; path=/; SameSite=Strict";
          status.textContent = "Your download has started: look for " + what + " in your browser's downloads.";
        } else if (tries > 240) {
          clearInterval(poll);
          status.textContent = "";
          status.hidden = true;
        }
      }, 500);
    });
  });

  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }
})();
