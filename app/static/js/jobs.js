/* Background jobs on the screens: a progress bar on "Export to Excel" and the report
 * downloads, then the file. Loaded only when the server has a job queue (REDIS_URL);
 * texts come translated on the script tag (data-*). */
(function () {
  "use strict";
  var me = document.currentScript;
  var T = (me && me.dataset) || {};

  function progressBar(host) {
    var box = document.createElement("div");
    box.className = "job-status";
    box.innerHTML = '<div class="progress" style="margin:6px 0;min-width:220px">' +
      '<div class="progress-bar progress-bar-striped active" role="progressbar" ' +
      'aria-valuemin="0" aria-valuemax="100" style="width:2%"></div></div><small class="job-text"></small>';
    host.appendChild(box);
    var fill = box.querySelector(".progress-bar"), text = box.querySelector(".job-text");
    text.textContent = T.preparing || "Preparing…";
    return {
      set: function (fraction) {
        var pct = Math.max(2, Math.round((fraction || 0) * 100));
        fill.style.width = pct + "%";
        fill.setAttribute("aria-valuenow", String(pct));
        fill.textContent = pct + "%";
      },
      ready: function (url) {
        this.set(1);
        fill.className = "progress-bar progress-bar-success";
        text.innerHTML = "";
        var link = document.createElement("a");
        link.href = url;
        link.className = "job-download";
        link.textContent = T.ready || "Download";
        text.appendChild(link);
      },
      fail: function (message) {
        fill.className = "progress-bar progress-bar-danger";
        fill.style.width = "100%";
        text.className = "job-text text-danger job-failed";
        text.textContent = (T.failed || "Failed") + (message ? ": " + message : "");
      },
      remove: function () { box.remove(); }
    };
  }

  function getJson(url) {
    return fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); });
  }

  function poll(statusUrl, ui) {
    getJson(statusUrl).then(function (s) {
      if (s.status === "done") {
        ui.ready(s.download_url);
        window.location.assign(s.download_url);
      } else if (s.status === "failed") {
        ui.fail(s.message);
      } else {
        ui.set(s.progress);
        window.setTimeout(function () { poll(statusUrl, ui); }, 1000);
      }
    }).catch(function () { ui.fail(""); });
  }

  function filename(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var utf = /filename\*=UTF-8''([^;]+)/i.exec(header), plain = /filename="?([^";]+)"?/i.exec(header);
    return utf ? decodeURIComponent(utf[1]) : (plain ? plain[1] : "export.xlsx");
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 10000);
  }

  function start(url, host) {
    var ui = progressBar(host);
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}}).then(function (r) {
      if (r.status === 202) {
        return r.json().then(function (j) { poll(j.status_url, ui); });
      }
      var type = r.headers.get("Content-Type") || "";
      if (!r.ok && type.indexOf("json") < 0) {  // a page with its own message (bad period …)
        window.location.assign(url);
        return null;
      }
      if (!r.ok) {
        return r.json().then(function (j) { ui.fail(typeof j.message === "string" ? j.message : ""); });
      }
      return r.blob().then(function (b) { ui.remove(); save(b, filename(r)); });
    }).catch(function () { ui.fail(""); });
  }

  if (T.jobs === "1") {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.export-xlsx");
      if (!link) { return; }
      event.preventDefault();
      start(link.href, link.parentNode);
    });
    document.addEventListener("submit", function (event) {
      var form = event.target.closest && event.target.closest("form.report-period, form.report-range");
      if (!form) { return; }
      event.preventDefault();
      start(form.action + "?" + new URLSearchParams(new FormData(form)).toString(), form);
    });
  }
  document.querySelectorAll(".job-progress[data-status-url]").forEach(function (el) {
    poll(el.getAttribute("data-status-url"), progressBar(el));
  });
})();
