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

  // Rows a wrapping legend takes in a box this wide (CJK characters count double): every entry is
  // shown, never paged, and the plot starts below it.
  function legendRows(names, width) {
    var rows = 1, used = 0;
    names.forEach(function (n) {
      var w = 34 + String(n).replace(/[^\x00-\xff]/g, "xx").length * 6.5;
      if (used && used + w > width - 20) { rows += 1; used = 0; }
      used += w;
    });
    return rows;
  }

  function option(d, width, height) {
    var many = d.series.length > 1;
    var fmt = formatter(d.value_format);
    var base = {
      tooltip: { trigger: d.kind === "pie" ? "item" : "axis", valueFormatter: fmt },
      animationDuration: 300
    };
    var legendHeight = 0;
    if (many || d.kind === "pie") {
      var names = d.kind === "pie" ? d.categories : d.series.map(function (s) { return s.name; });
      base.legend = { type: "plain", top: 0, left: "center", itemGap: 8 };
      legendHeight = legendRows(names, width) * 22;
    }
    if (d.kind === "pie") {
      // labels inside the box: short lines, names broken over lines rather than cut ("Impo…")
      base.series = [{
        type: "pie", radius: ["25%", "52%"], center: ["50%", Math.round((height + legendHeight) / 2) + "px"],
        avoidLabelOverlap: true, minShowLabelAngle: 4,
        label: { formatter: "{b}\n{d}%", overflow: "break", width: Math.max(60, width * 0.22), lineHeight: 14 },
        labelLine: { length: 8, length2: 6 },
        data: d.categories.map(function (c, i) { return { name: c, value: d.series[0].data[i] }; })
      }];
      return base;
    }
    var horizontal = d.kind === "hbar";
    // every label when there are few (status names), the library's spacing for long date axes
    // long names (a status, a customer) wrap onto a second line instead of running out of the box
    // (a long date axis keeps the library's spacing: its labels are short and skip instead)
    var few = d.categories.length <= 12;
    var slot = horizontal ? width * 0.38 : (width - 60) / Math.max(1, d.categories.length) - 6;
    var cat = { type: "category", data: d.categories, inverse: horizontal,
                axisLabel: few || horizontal
                  ? { interval: 0, hideOverlap: true, width: Math.max(40, slot), overflow: "break", lineHeight: 13 }
                  // the end labels lean inwards: centred on the first / last week they ran past the
                  // box on some date ranges (which weeks get a label depends on the range)
                  : { interval: "auto", hideOverlap: true, alignMinLabel: "left", alignMaxLabel: "right" } };
    var val = d.value_format === "number" ? { type: "value", minInterval: 1 }
      : { type: "value", axisLabel: { formatter: fmt }, max: d.value_format === "percent" ? 1 : null };
    base.grid = { left: 10, right: 20, top: many ? legendHeight + 18 : 20, bottom: 10, containLabel: true };
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
      chart.setOption(option(d, box.clientWidth || 400, box.clientHeight || 320));
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () { note(box, "chart-error", messages.error); });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".chart-box[data-chart-url]"), draw);
})();
