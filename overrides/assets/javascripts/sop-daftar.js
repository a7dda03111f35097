/* Long SOP lists (the sop_list macro) in place.
 *
 * A sop_list of more SOPs than the plugin's page_size shows its first page inside a box
 * (data-sop-daftar="N": the list's place on its page) with a pager; the pager's links open
 * the list's other pages, plain documents beside the page, which work without this script.
 * With it, a click on the pager fetches that page and swaps its box into this one: the reader
 * stays on the hand-written page. The documents sit in the page's folder, so every link in the
 * swapped list stays right. If the fetch fails (a file:// copy, a lost connection), the link is
 * simply followed.
 *
 * Loaded by overrides/main.html on pages with such a list (on every page with Material's instant
 * navigation); one listener on the document serves every page swap.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-sop-daftar] .sop-halaman a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    var box = link.closest("[data-sop-daftar]");
    var target = link.href;
    event.preventDefault();
    event.stopPropagation();  /* not Material's instant navigation: the page stays */
    fetch(target).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var found = page.querySelector('[data-sop-daftar="' + box.getAttribute("data-sop-daftar") + '"]');
      if (!found) {
        throw new Error("no list");
      }
      box.innerHTML = found.innerHTML;
      box.scrollIntoView({ block: "start" });
      var current = box.querySelector('.sop-halaman [aria-current="page"]');
      if (current) {
        current.setAttribute("tabindex", "-1");
        current.focus({ preventScroll: true });
      }
    }).catch(function () {
      window.location.href = target;
    });
  }, true);
})();
