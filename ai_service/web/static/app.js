// Clausewise web interface: progressive enhancements only; every page works without them.
(function () {
  "use strict";

  function announce(text) {
    var live = document.getElementById("live");
    if (live) { live.textContent = ""; window.setTimeout(function () { live.textContent = text; }, 30); }
  }

  // ---- copy buttons: <button data-copy-target="id">
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.className = "visually-hidden";
      document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy") ? resolve() : reject(new Error("copy failed")); }
      catch (e) { reject(e); }
      finally { document.body.removeChild(ta); }
    });
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-copy-target]");
    if (!btn) { return; }
    var el = document.getElementById(btn.getAttribute("data-copy-target"));
    if (!el) { return; }
    var label = btn.textContent;
    copyText(el.textContent).then(function () {
      btn.textContent = "Copied"; btn.setAttribute("data-copied", "true"); announce("Copied to the clipboard");
      window.setTimeout(function () { btn.textContent = label; }, 2000);
    }, function () {
      announce("Could not copy; select the text and copy it by hand");
      btn.textContent = "Select and copy by hand";
    });
  });

  // ---- evidence: highlight every piece of a span the link points at
  function highlight(key, scroll) {
    document.querySelectorAll("mark.ev.active").forEach(function (m) { m.classList.remove("active"); });
    var pieces = document.querySelectorAll('mark.ev[data-ev~="' + key.replace(/"/g, "") + '"]');
    pieces.forEach(function (m) { m.classList.add("active"); });
    var anchor = document.getElementById("ev-" + key);
    if (scroll && anchor) { anchor.scrollIntoView({ block: "center" }); }
    return pieces.length;
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest("a.evidence-link");
    if (!a) { return; }
    var key = a.getAttribute("data-ev");
    if (highlight(key, true)) {
      ev.preventDefault();
      history.replaceState(null, "", "#ev-" + key);
      announce("Highlighted in the contract text");
    }
  });
  if (location.hash.indexOf("#ev-") === 0) {
    window.addEventListener("load", function () { highlight(location.hash.slice(4), true); });
  }

  // ---- folded flags: a link to #flag-<id> opens that flag
  function openFlag() {
    if (location.hash.indexOf("#flag-") !== 0) { return; }
    var li = document.getElementById(location.hash.slice(1));
    var d = li && li.querySelector("details");
    if (d) { d.open = true; }
  }
  openFlag();
  window.addEventListener("hashchange", openFlag);

  // ---- a contract still being processed: reload when it is ready
  var waiting = document.querySelector("[data-refresh-when-ready]");
  if (waiting) {
    var cid = waiting.getAttribute("data-refresh-when-ready");
    var poll = function () {
      fetch("/web/api/contracts/" + encodeURIComponent(cid), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (c) {
          if (c && (c.status === "ready" || c.status === "failed")) { location.reload(); }
          else { window.setTimeout(poll, 1500); }
        }, function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1500);
  }

  // ---- upload: drag and drop or picker, several files, progress and status per file
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = document.getElementById("file-input");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("upload-list");
  var doneNote = document.getElementById("upload-done");
  var csrf = form.getAttribute("data-csrf");
  var pending = 0;

  function row(file) {
    var li = document.createElement("li");
    var name = document.createElement("span"); name.className = "name"; name.textContent = file.name;
    var bar = document.createElement("progress"); bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", "Upload of " + file.name);
    var status = document.createElement("span"); status.className = "status"; status.textContent = "Waiting…";
    li.appendChild(name); li.appendChild(bar); li.appendChild(status);
    list.appendChild(li);
    return { li: li, bar: bar, status: status };
  }

  function setStatus(r, text, cls, link) {
    r.status.textContent = "";
    r.status.className = "status " + (cls || "");
    if (link) {
      var a = document.createElement("a"); a.href = link; a.textContent = text; r.status.appendChild(a);
    } else { r.status.textContent = text; }
  }

  function finished() {
    pending -= 1;
    if (pending === 0 && doneNote) { doneNote.hidden = false; announce("All uploads finished"); }
  }

  function watch(r, c) {
    var tick = function () {
      fetch("/web/api/contracts/" + encodeURIComponent(c.id), { credentials: "same-origin" })
        .then(function (resp) { return resp.json(); })
        .then(function (s) {
          if (s.status === "ready") {
            r.bar.value = 100;
            setStatus(r, "Ready: " + s.title, "done", "/contracts/" + s.id);
            finished();
          } else if (s.status === "failed") {
            setStatus(r, "Failed: " + (s.error_message || s.error_code), "failed");
            finished();
          } else {
            r.bar.value = 50 + Math.round(50 * (s.progress || 0));
            setStatus(r, s.status === "pending" ? "Queued for processing…" : "Processing…");
            window.setTimeout(tick, 1000);
          }
        }, function () { setStatus(r, "Lost contact with the server; reload the page", "failed"); finished(); });
    };
    tick();
  }

  function send(file) {
    var r = row(file);
    pending += 1;
    if (doneNote) { doneNote.hidden = true; }
    var data = new FormData();
    data.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { r.bar.value = Math.round(50 * e.loaded / e.total); }
      setStatus(r, "Uploading…");
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        r.bar.value = 50;
        if (body.duplicate) {
          r.bar.value = 100;
          setStatus(r, "Already in the archive: " + body.title, "done", "/contracts/" + body.id);
          finished();
        } else { watch(r, body); }
      } else {
        var msg = body && body.error ? body.error.message : "The upload failed (" + xhr.status + ").";
        if (xhr.status === 401) { msg = "Your session ended. Sign in again, then upload."; }
        setStatus(r, msg, "failed");
        finished();
      }
    });
    xhr.addEventListener("error", function () { setStatus(r, "Network error; try again", "failed"); finished(); });
    xhr.send(data);
  }

  function sendAll(files) { Array.prototype.forEach.call(files, send); }

  input.addEventListener("change", function () { sendAll(input.files); input.value = ""; });
  form.addEventListener("submit", function (e) { e.preventDefault(); sendAll(input.files); });
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { if (e.dataTransfer && e.dataTransfer.files) { sendAll(e.dataTransfer.files); } });
})();
