// Quick exit: the button and three presses of Shift replace this page with a neutral
// site using location.replace, so this page leaves the tab's history and Back goes to
// the page before it. Without this script the button is a plain link (Back returns
// here); the footer note says which of the two is true, and the Shift hint and the
// count of presses only appear when the script runs.
(function () {
  "use strict";
  var box = document.querySelector("[data-quick-exit-url]");
  if (!box) return;
  var target = box.getAttribute("data-quick-exit-url");
  var PRESSES = 3, WINDOW_MS = 1500;
  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }
  function show(id, on) {
    var el = document.getElementById(id);
    if (el) el.hidden = !on;
    return el;
  }
  show("quick-exit-hint", true);
  var note = document.getElementById("quick-exit-note");
  if (note) {
    note.querySelector(".quick-exit__without-js").hidden = true;
    note.querySelector(".quick-exit__with-js").hidden = false;
  }
  var count = document.getElementById("quick-exit-count");
  var button = document.getElementById("quick-exit");
  if (button) button.addEventListener("click", leave);
  var presses = [], timer = null;
  function report(n) {
    if (!count) return;
    count.textContent = n ? "Shift " + n + " of " + PRESSES : "";
  }
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; report(0); return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < WINDOW_MS; });
    presses.push(now);
    report(presses.length);
    clearTimeout(timer);
    timer = setTimeout(function () { presses = []; report(0); }, WINDOW_MS);
    if (presses.length >= PRESSES) leave();
  });
})();
