/* Attachments gallery and the engineers' phone screens: no inline handlers (the CSP forbids them). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("upload-input")) return;
    var form = input.form;
    if (form && form.dataset.autosubmit && input.files && input.files.length) form.submit();
    var list = form && form.querySelector(".chosen-files");
    if (list) {
      var names = [];
      form.querySelectorAll("input[type=file]").forEach(function (f) {
        for (var i = 0; i < f.files.length; i++) names.push(f.files[i].name);
      });
      list.textContent = names.join(", ");
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);

  /* The customer's signature: signature_pad on a canvas sized to the screen, sent as a PNG data URL. */
  function setUpPad(box) {
    var canvas = box.querySelector("canvas");
    var form = box.closest("form");
    var pad = new window.SignaturePad(canvas, { minWidth: 1, maxWidth: 3, penColor: "#111", backgroundColor: "rgba(255,255,255,0)" });
    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
    }
    window.addEventListener("resize", resize);
    resize();
    pad.addEventListener("beginStroke", function () {
      var message = form.querySelector(".signature-error");
      if (message) message.hidden = true;
    });
    var clear = form.querySelector(".signature-clear");
    if (clear) clear.addEventListener("click", function () { pad.clear(); });
    form.addEventListener("submit", function (event) {
      var message = form.querySelector(".signature-error");
      if (pad.isEmpty()) {
        event.preventDefault();
        if (message) message.hidden = false;
        return;
      }
      form.querySelector("input[name=image]").value = pad.toDataURL("image/png");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".signature-box").forEach(setUpPad);
  });
})();
