/* Draws every .chart-box from its JSON endpoint with the vendored ECharts (no network beyond this site). */
(function () {
  "use strict";
  var messages = JSON.parse(document.getElementById("chart-messages").textContent);

  function note(box, cls, text) {
    var p = document.createElement("p");
    p.className = "text-muted " + cls;
    p.textContent = text;
    box.innerHTML = "";
    box.appendChild(p);
  }

  function formatter(kind) {
    if (kind === "percent") { return function (v) { return v == null ? "–" : Math.round(v * 100) + "%"; }; }
    if (kind === "hours") { return function (v) { return v == null ? "–" : (+v).toFixed(1) + " " + messages.hours; }; }
    return function (v) { return v == null ? "–" : v; };
  }

  function option(d) {
    var many = d.series.length > 1;
    var fmt = formatter(d.value_format);
    var base = {
      tooltip: { trigger: d.kind === "pie" ? "item" : "axis", valueFormatter: fmt },
      animationDuration: 300
    };
    if (many || d.kind === "pie") { base.legend = { type: "scroll", top: 0 }; }
    if (d.kind === "pie") {
      base.series = [{
        type: "pie", radius: ["30%", "65%"], top: 30,
        data: d.categories.map(function (c, i) { return { name: c, value: d.series[0].data[i] }; })
      }];
      return base;
    }
    var horizontal = d.kind === "hbar";
    // every label when there are few (status names), the library's spacing for long date axes
    var cat = { type: "category", data: d.categories, inverse: horizontal,
                axisLabel: { interval: d.categories.length <= 12 ? 0 : "auto", hideOverlap: true } };
    var val = d.value_format === "number" ? { type: "value", minInterval: 1 }
      : { type: "value", axisLabel: { formatter: fmt }, max: d.value_format === "percent" ? 1 : null };
    base.grid = { left: 10, right: 20, top: many ? 40 : 20, bottom: 10, containLabel: true };
    base.xAxis = horizontal ? val : cat;
    base.yAxis = horizontal ? cat : val;
    base.series = d.series.map(function (s) {
      return {
        type: d.kind === "line" ? "line" : "bar", name: s.name, data: s.data, connectNulls: true,
        stack: d.stack ? "total" : undefined
      };
    });
    return base;
  }

  function draw(box) {
    fetch(box.getAttribute("data-chart-url"), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (resp) {
      if (!resp.ok) { throw new Error(resp.status); }
      return resp.json();
    }).then(function (d) {
      if (d.empty) { note(box, "empty-state", messages.empty); return; }
      var chart = echarts.init(box);
      chart.setOption(option(d));
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () { note(box, "chart-error", messages.error); });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".chart-box[data-chart-url]"), draw);
})();
