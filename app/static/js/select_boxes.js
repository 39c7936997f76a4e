/* FAB's search boxes (Select2) in the page's language, and the empty choice shown as the
   placeholder instead of FAB's "__None" value. Runs after ab.js, which set them up first. */
(function ($) {
  "use strict";
  var blob = document.getElementById("select-messages");
  if (!$ || !$.fn.select2 || !blob) return;
  var m = JSON.parse(blob.textContent);
  var language = {
    noResults: function () { return m.noResults; },
    searching: function () { return m.searching; },
    removeAllItems: function () { return m.removeAllItems; },
    loadingMore: function () { return m.loadingMore; },
    errorLoading: function () { return m.errorLoading; },
    inputTooShort: function (a) { return m.inputTooShort.replace("%(n)s", a.minimum - a.input.length); }
  };
  $(function () {
    $(".my_select2").each(function () {
      var box = $(this);
      box.select2({
        placeholder: { id: "__None", text: box.data("placeholder") || "" },
        allowClear: true, theme: "bootstrap", language: language
      });
    });
  });
})(window.jQuery);
