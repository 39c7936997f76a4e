/* Date and date-time boxes (input[data-picker]) on every page: typed text is the value, the
 * vendored flatpickr calendar only helps. It lives on a hidden input of its own, so nothing
 * flatpickr does on blur, Tab or close can rewrite or clear what a person typed; a day or time
 * picked with the mouse is written into the box. Boxes added later (FAB's list-filter rows)
 * get the same calendar. Month and day names follow the page's language (<html lang>).
 */
(function () {
  "use strict";

  // FAB's ab.js still calls bootstrap-datepicker on .appbuilder_date(time) boxes; none are
  // rendered any more and the library is not loaded, so its two calls do nothing.
  if (window.jQuery && !jQuery.fn.datepicker) {
    jQuery.fn.datepicker = function () { return this; };
  }

  var FORMATS = { date: "Y-m-d", datetime: "Y-m-d H:i" };
  var TYPED = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:\s+|\s*T\s*)(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/;

  function pageLocale() {
    var lang = (document.documentElement.lang || "en").toLowerCase();
    var l10ns = window.flatpickr.l10ns;
    if (/^zh-(hant|tw|hk|mo)/.test(lang)) { return Object.assign({}, l10ns.zh_tw, { firstDayOfWeek: 1 }); }
    if (/^zh/.test(lang)) { return Object.assign({}, l10ns.zh, { firstDayOfWeek: 1 }); }
    return l10ns.default;
  }

  // The wall-clock moment a box's text names, or null (same forms the server reads).
  function read(text, kind) {
    var m = TYPED.exec(text || "");
    if (!m || (kind === "datetime") !== (m[4] !== undefined)) { return null; }
    var d = new Date(+m[1], m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0));
    return (d.getMonth() === m[2] - 1 && d.getDate() === +m[3]) ? d : null;
  }

  function sameMoment(a, b, kind) {
    if (!a || !b) { return false; }
    if (kind === "date") { return a.toDateString() === b.toDateString(); }
    return Math.floor(a.getTime() / 60000) === Math.floor(b.getTime() / 60000);
  }

  function attach(box) {
    if (box._dateEntry || !box.parentNode) { return; }
    var kind = box.getAttribute("data-picker") === "date" ? "date" : "datetime";
    var group = box.closest(".date-entry") || box.parentNode;
    var button = group.querySelector("[data-picker-open]");
    var holder = document.createElement("input");
    holder.type = "hidden";  // no name: never submitted
    group.appendChild(holder);
    var syncing = false;

    function fromCalendar(dates) {
      if (syncing || !dates.length) { return; }
      if (sameMoment(read(box.value, kind), dates[0], kind)) { return; }  // keep the typed form
      box.value = picker.formatDate(dates[0], FORMATS[kind]);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    var picker = window.flatpickr(holder, {
      locale: pageLocale(),
      enableTime: kind === "datetime",
      time_24hr: true,
      minuteIncrement: 1,
      dateFormat: FORMATS[kind],
      allowInput: false,
      clickOpens: false,
      disableMobile: true,
      positionElement: box,
      ignoredFocusElements: [group],
      onChange: fromCalendar,
      onValueUpdate: fromCalendar,
    });
    holder.type = "hidden";  // flatpickr makes its input a text box: it must not take focus on Tab

    function showTyped() {
      var d = read(box.value, kind);
      syncing = true;
      if (d) { picker.setDate(d, false); } else { picker.clear(false); }
      syncing = false;
    }

    function open() {
      if (box.disabled || box.readOnly) { return; }
      if (!picker.isOpen) { showTyped(); picker.open(); }
    }

    box.addEventListener("click", open);
    box.addEventListener("input", function () { if (picker.isOpen) { showTyped(); } });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Enter") { picker.close(); }
      if (e.key === "ArrowDown" && e.altKey) { open(); e.preventDefault(); }
    });
    if (button) {
      button.addEventListener("click", function () {
        if (picker.isOpen) { picker.close(); } else { open(); box.focus(); }
      });
    }
    box._dateEntry = picker;
  }

  function scan(root) {
    if (root.nodeType !== 1) { return; }
    if (root.matches("input[data-picker]")) { attach(root); }
    root.querySelectorAll("input[data-picker]").forEach(attach);
  }

  // FAB's "Add Filter" copies the search form's box, default value included (a timestamp
  // column's default is "now"): a new filter row starts empty, as a person expects.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("#filter_form a.filter");
    if (!link) { return; }
    var rows = document.querySelectorAll("#filter_form table.filters tr");
    var box = rows.length && rows[rows.length - 1].querySelector("input[data-picker]");
    if (box) { box.value = ""; }
  });

  scan(document.body);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) { change.addedNodes.forEach(scan); });
  }).observe(document.body, { childList: true, subtree: true });
})();
