/* Search-as-you-type boxes for related records (app/views/lookup_fields.py): a <select
   class="lookup-box" data-url="/lookup/<kind>"> holding only the chosen record becomes a Select2
   box asking the server as one types. A box with data-narrow="customer" sends the customer of
   its form (or data-narrow-value), waits for one, and is emptied when the customer changes.
   List filters add their value boxes later (ab_filters.js): those are set up when they appear. */
(function ($) {
  "use strict";
  if (!$ || !$.fn.select2) return;
  var blob = document.getElementById("select-messages");
  var m = blob ? JSON.parse(blob.textContent) : {};
  var language = {
    noResults: function () { return m.noResults || "No results found"; },
    searching: function () { return m.searching || "Searching…"; },
    removeAllItems: function () { return m.removeAllItems || "Remove all items"; },
    loadingMore: function () { return m.loadingMore || "Loading more results…"; },
    errorLoading: function () { return m.errorLoading || "The results could not be loaded."; },
    inputTooShort: function (a) { return (m.inputTooShort || "").replace("%(n)s", a.minimum - a.input.length); }
  };

  function narrowBox(box) {
    var name = box.data("narrow");
    if (!name) return null;
    var other = box.closest("form").find("[name='" + name + "']").not(box);
    return other.length ? other.first() : null;
  }

  function narrowValue(box) {
    var other = narrowBox(box);
    if (other) return other.val() || "";
    return String(box.data("narrow-value") || "");
  }

  function refreshNarrowed(box) {
    if (!box.data("narrow")) return;
    var waiting = !narrowValue(box);
    box.prop("disabled", waiting);
    var shown = waiting ? box.data("narrow-first") : box.data("placeholder");
    box.next(".select2").find(".select2-selection__placeholder").text(shown);
  }

  // ab_filters.js sets an active filter's value with .val(id) on a box without that option: the id
  // is lost; it is taken back from the address (the n-th box of a name gets its n-th value)
  function restoreFilterValue(box) {
    var name = box.attr("name") || "";
    if (!/^_flt_\d+_/.test(name) || box.val()) return;
    var same = $("select.lookup-box").filter(function () { return $(this).attr("name") === name; });
    var values = new URLSearchParams(window.location.search).getAll(name);
    var value = values[same.index(box)];
    if (value) box.append($("<option selected/>").attr("value", value).text(value));
  }

  function setUp(el) {
    var box = $(el);
    if (box.data("lookup-ready") || box.closest(".filters").length === 0 && box.closest("form").length === 0) return;
    box.data("lookup-ready", true);
    restoreFilterValue(box);
    box.select2({
      theme: "bootstrap", language: language, width: "100%",
      placeholder: { id: "", text: box.data("placeholder") || "" },
      allowClear: !box.data("required"),
      minimumInputLength: 0,
      ajax: {
        url: box.data("url"), dataType: "json", delay: 250,
        data: function (params) {
          var args = { q: params.term || "", page: params.page || 1 };
          var narrowed = narrowValue(box);
          if (box.data("narrow") && narrowed) args[box.data("narrow")] = narrowed;
          return args;
        },
        processResults: function (data) {
          return { results: data.results || [], pagination: { more: !!data.more } };
        }
      }
    });
    // Select2 4.0.13 drops the first input after a choice made with Enter (its keyup never came):
    // every opening starts listening afresh
    box.on("select2:open", function () {
      var s2 = box.data("select2");
      if (s2 && s2.dropdown) s2.dropdown._keyUpPrevented = false;
    });
    // a list filter's box gets its value by id from the URL: fetch the text that id reads as
    var value = box.val();
    var option = box.find("option:selected");
    if (value && option.text() === value) {
      $.getJSON(box.data("url"), { id: value }).done(function (data) {
        if (!data.results || !data.results.length) return;
        option.remove();  // Select2 keeps an option's first text: a new option, chosen
        box.append(new Option(data.results[0].text, value, true, true)).trigger("change.select2");
      });
    }
    var other = narrowBox(box);
    if (other) {
      other.on("change", function () {
        if (box.val()) box.val(null).trigger("change");
        refreshNarrowed(box);
      });
    }
    refreshNarrowed(box);
  }

  function setUpAll() { $("select.lookup-box").each(function () { setUp(this); }); }

  $(function () {
    // filter value boxes: the template's copy is the one ab_filters.js clones (no Select2 on it)
    setUpAll();
    $(document).on("click", "a.filter", function () { setTimeout(setUpAll, 0); });
    // a disabled box is not posted: enable the narrowed ones on submit (empty when waiting)
    $(document).on("submit", "form", function () { $(this).find("select.lookup-box").prop("disabled", false); });
  });
})(window.jQuery);
