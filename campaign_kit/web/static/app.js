// Progressive enhancement only: every page works without this file. It adds a live
// character count to long text boxes, a copy button for the letter's text, sizes the
// letter preview to its content and moves focus to an error summary.
(function () {
  "use strict";

  function chars(text) {
    // Characters as the server counts them: code points, a line end counted once.
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }

  document.querySelectorAll("textarea[data-limit]").forEach(function (box) {
    var limit = parseInt(box.getAttribute("data-limit"), 10);
    var shown = document.querySelector('[data-count-for="' + box.id + '"]');
    if (!shown) { return; }
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    shown.parentNode.insertBefore(spoken, shown.nextSibling);
    var timer = null;
    function words(n) {
      var left = limit - n;
      return left >= 0
        ? "You have " + left.toLocaleString("en-GB") + " character" + (left === 1 ? "" : "s") + " left"
        : "You have " + (-left).toLocaleString("en-GB") + " character" + (left === -1 ? "" : "s") + " too many";
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

  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }
})();
