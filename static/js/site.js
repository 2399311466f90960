// A little help on top of pages that work without JavaScript:
// move focus to the error summary so screen-reader and keyboard users hear it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});
