// Quick exit: the button and three presses of Shift replace this page with a neutral
// site using location.replace, so that the Back button does not return here.
(function () {
  "use strict";
  var box = document.querySelector("[data-quick-exit-url]");
  if (!box) return;
  var target = box.getAttribute("data-quick-exit-url");
  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }
  var button = document.getElementById("quick-exit");
  if (button) button.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
