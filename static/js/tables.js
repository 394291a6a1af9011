// Tables wider than their box (issue 15 item 2): the box scrolls sideways. When it does, give
// it a keyboard stop and a name (if the page did not), show "Scroll for more columns" above it,
// and a shadow on the side that has more. Without JavaScript the box still scrolls.
(function () {
  "use strict";
  function label(box) {
    var caption = box.querySelector("caption");
    var name = caption ? caption.textContent.trim() : "Table";
    return name + " (scrolls sideways)";
  }
  function hintFor(box) {
    var hint = box.previousElementSibling;
    if (hint && hint.classList.contains("app-scroll-hint")) {
      return hint;
    }
    hint = document.createElement("p");
    hint.className = "app-scroll-hint";
    hint.setAttribute("aria-hidden", "true"); // the box's name says it already
    hint.textContent = "Scroll for more columns \u2192";
    box.parentNode.insertBefore(hint, box);
    return hint;
  }
  function update(box) {
    var overflow = box.scrollWidth > box.clientWidth + 1;
    var atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 1;
    box.classList.toggle("app-table-wrap--overflow", overflow);
    box.classList.toggle("app-table-wrap--end", overflow && atEnd);
    box.classList.toggle("app-table-wrap--middle", overflow && box.scrollLeft > 0 && !atEnd);
    if (overflow && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label(box));
    }
    if (overflow || box.previousElementSibling && box.previousElementSibling.classList.contains("app-scroll-hint")) {
      hintFor(box).hidden = !overflow;
    }
  }
  var boxes = document.querySelectorAll(".app-table-wrap");
  boxes.forEach(function (box) {
    update(box);
    box.addEventListener("scroll", function () { update(box); }, { passive: true });
  });
  window.addEventListener("resize", function () { boxes.forEach(update); });
})();
