/* sphinx_faq_ext theme behaviour, no framework:
 *   - light/dark toggle that follows the system until the reader chooses,
 *     remembered across pages (localStorage "faq-theme");
 *   - the "Contents" button opening the book tree on narrow screens;
 *   - note popovers: hovering or focusing a marker shows its note in place;
 *   - focus follows note links (marker -> note, back link -> marker);
 *   - the sidebar marks the question being read, "On this page" the entry,
 *     and on desktops the sidebar shows the current page's entry;
 *   - scrollable code blocks and tables become keyboard-focusable.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "faq-theme";
  var root = document.documentElement;
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  /* Light / dark ---------------------------------------------------------- */

  function storedMode() {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch (e) {
      return null;
    }
  }

  function storeMode(mode) {
    try {
      if (mode) localStorage.setItem(STORAGE_KEY, mode);
      else localStorage.removeItem(STORAGE_KEY);
    } catch (e) {
      /* Private browsing: the choice lasts for this page only. */
    }
  }

  function isDark() {
    var chosen = root.dataset.theme;
    if (chosen === "dark" || chosen === "light") return chosen === "dark";
    return systemDark.matches;
  }

  function applyMode(mode) {
    if (mode === "dark" || mode === "light") root.dataset.theme = mode;
    else delete root.dataset.theme;
    var dark = isDark();
    // Pygments' dark stylesheet is linked for the system setting only;
    // point its media query at the mode actually in force.
    var pygmentsDark = document.getElementById("pygments_dark_css");
    if (pygmentsDark) pygmentsDark.media = dark ? "all" : "not all";
    document.querySelectorAll(".faq-mode-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", dark ? "true" : "false");
    });
  }

  function toggleMode() {
    var wantDark = !isDark();
    // A choice equal to the system's is no choice: keep following the system.
    var mode = wantDark === systemDark.matches ? null : wantDark ? "dark" : "light";
    storeMode(mode);
    applyMode(mode);
  }

  /* Narrow screens: the book tree behind a button ------------------------- */

  function setupMenu() {
    var button = document.querySelector(".faq-menu-toggle");
    var sidebar = document.getElementById("faq-sidebar");
    if (!button || !sidebar) {
      if (button) button.hidden = true;
      return;
    }
    var header = document.querySelector(".faq-header");
    button.addEventListener("click", function () {
      if (header) {
        root.style.setProperty("--faq-header-height", header.getBoundingClientRect().bottom + "px");
      }
      var open = document.body.classList.toggle("faq-nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var current = sidebar.querySelector("a.current") || sidebar.querySelector("a, input");
        if (current) {
          // Scroll the panel, not the page behind it (the reader's place).
          current.focus({ preventScroll: true });
          var panel = sidebar.getBoundingClientRect();
          var link = current.getBoundingClientRect();
          sidebar.scrollTop += link.top - panel.top - panel.height / 3;
        }
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("faq-nav-open")) {
        document.body.classList.remove("faq-nav-open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  /* Notes ------------------------------------------------------------------ */

  var popover = null;
  var popoverOwner = null;
  var hideTimer = 0;

  function targetOf(link) {
    if (!link.hash || link.pathname !== window.location.pathname) return null;
    return document.getElementById(decodeURIComponent(link.hash.slice(1)));
  }

  function sidenoteShown(marker) {
    var next = marker.nextElementSibling;
    return !!(next && next.classList.contains("faq-sidenote") &&
      window.getComputedStyle(next).display !== "none");
  }

  function noteContent(note) {
    var copy = note.cloneNode(true);
    copy.querySelectorAll(".faq-backlink").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    // The popover is a tooltip: nothing in it takes keyboard focus.
    copy.querySelectorAll("a, button, input").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
    return copy.childNodes;
  }

  function showNote(marker) {
    window.clearTimeout(hideTimer);
    if (popoverOwner === marker) return;
    hideNote();
    var note = targetOf(marker);
    if (!note || sidenoteShown(marker)) return;
    popover = document.createElement("div");
    popover.id = "faq-popover";
    popover.className = "faq-popover";
    popover.setAttribute("role", "tooltip");
    var number = document.createElement("span");
    number.className = "faq-popover-number";
    number.textContent = marker.textContent.replace(/[^\w.]+/g, "");
    popover.appendChild(number);
    Array.prototype.slice.call(noteContent(note)).forEach(function (child) {
      popover.appendChild(child);
    });
    if (popover.firstElementChild.nextElementSibling &&
        popover.firstElementChild.nextElementSibling.tagName === "P") {
      // Keep the number on the note's first line.
      var first = popover.firstElementChild.nextElementSibling;
      first.insertBefore(number, first.firstChild);
    }
    popover.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
    popover.addEventListener("mouseleave", function () { scheduleHide(marker); });
    document.body.appendChild(popover);
    placePopover(marker);
    popoverOwner = marker;
    marker.setAttribute("aria-describedby", "faq-popover");
  }

  function placePopover(marker) {
    var rect = marker.getBoundingClientRect();
    var width = popover.offsetWidth;
    var viewport = document.documentElement.clientWidth;
    var left = Math.min(Math.max(8, rect.left - 24), viewport - width - 8);
    var top = rect.bottom + 8;
    // Above the marker when there is no room below.
    if (top + popover.offsetHeight > window.innerHeight && rect.top > popover.offsetHeight + 8) {
      top = rect.top - popover.offsetHeight - 8;
    }
    popover.style.left = Math.max(0, left + window.scrollX) + "px";
    popover.style.top = top + window.scrollY + "px";
  }

  function hideNote() {
    window.clearTimeout(hideTimer);
    if (popover) popover.remove();
    if (popoverOwner) popoverOwner.removeAttribute("aria-describedby");
    popover = null;
    popoverOwner = null;
  }

  /* Hide soon, unless another marker has taken the popover over meanwhile
     (a page scrolled by focus moves markers out from under the mouse). */
  function scheduleHide(owner) {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      if (popoverOwner === owner) hideNote();
    }, 250);
  }

  function setupNotes() {
    document.querySelectorAll("a.faq-noteref").forEach(function (marker) {
      marker.addEventListener("mouseenter", function () { showNote(marker); });
      marker.addEventListener("mouseleave", function () { scheduleHide(marker); });
      marker.addEventListener("focus", function () { showNote(marker); });
      marker.addEventListener("blur", function () { scheduleHide(marker); });
    });
    // Links inside sidenotes are duplicates of the notes list's; the
    // sidenote is aria-hidden, so keep them out of the tab order too.
    document.querySelectorAll(".faq-sidenote a").forEach(function (link) {
      link.setAttribute("tabindex", "-1");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && popover) hideNote();
    });
    // Following a marker or a back link moves the keyboard focus too, so the
    // next Tab continues from the note (or from the marker on the way back).
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.faq-noteref, a.faq-backlink");
      if (!link) return;
      var target = targetOf(link);
      if (!target) return;
      hideNote();
      if (!target.matches("a[href], [tabindex]")) target.setAttribute("tabindex", "-1");
      window.setTimeout(function () { target.focus(); }, 0);
    });
  }

  /* Sidebar and "On this page": mark where the reader is ------------------ */

  /* Links to places on this page get aria-current="location" while their
     target is the last one scrolled past the top third of the window: the
     questions of the page in the sidebar tree, the entries of "On this page". */
  function setupScrollSpy(selector) {
    var links = {};
    document.querySelectorAll(selector).forEach(function (a) {
      var id = decodeURIComponent(a.hash.slice(1));
      if (a.pathname === window.location.pathname && id) links[id] = a;
    });
    var sections = Object.keys(links).map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    if (!sections.length) return;
    var marked = null;
    var pending = false;
    function update() {
      pending = false;
      var line = window.innerHeight / 3;
      var current = null;
      sections.forEach(function (section) {
        if (section.getBoundingClientRect().top < line) current = section;
      });
      var link = current ? links[current.id] : null;
      if (link === marked) return;
      if (marked) marked.removeAttribute("aria-current");
      if (link) link.setAttribute("aria-current", "location");
      marked = link;
    }
    window.addEventListener("scroll", function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }, { passive: true });
    // The jump to a #fragment may come after this script ran.
    window.addEventListener("load", update);
    window.addEventListener("hashchange", update);
    update();
  }

  /* Desktop: the sidebar scrolls (itself, not the page) to show the current
     page's entry when a long tree would leave it below the fold. */
  function showCurrentEntry() {
    var sidebar = document.getElementById("faq-sidebar");
    if (!sidebar || !window.matchMedia("(min-width: 60em)").matches) return;
    var current = sidebar.querySelectorAll("a.current");
    if (!current.length) return;
    var link = current[current.length - 1].getBoundingClientRect();
    var box = sidebar.getBoundingClientRect();
    var top = Math.max(box.top, 0);
    var bottom = Math.min(box.bottom, window.innerHeight);
    if (link.top >= top && link.bottom <= bottom) return;
    sidebar.scrollTop += link.top - top - (bottom - top) / 3;
  }

  /* Scrollable regions ------------------------------------------------------ */

  /* A block that scrolls sideways takes keyboard focus (arrow keys scroll it)
     and gets a name: its caption, else the template's translated label. */
  function setupScrollables() {
    var main = document.getElementById("faq-main");
    var label = function (kind) {
      return (main && main.getAttribute("data-faq-label-" + kind)) || kind;
    };
    function name(el) {
      if (el.tagName === "TABLE") {
        if (!el.querySelector("caption")) el.setAttribute("aria-label", label("table"));
        return;
      }
      var caption = el.closest(".literal-block-wrapper");
      caption = caption && caption.querySelector(".code-block-caption");
      // A group, not a region: a page of code blocks would be a page of landmarks.
      el.setAttribute("role", "group");
      if (caption && caption.id) el.setAttribute("aria-labelledby", caption.id);
      else el.setAttribute("aria-label", caption ? caption.textContent.trim() : label("code"));
    }
    function check(el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-faq-scrolls", "");
        name(el);
      } else if (!scrolls && el.hasAttribute("data-faq-scrolls")) {
        ["tabindex", "data-faq-scrolls", "role", "aria-label", "aria-labelledby"]
          .forEach(function (attr) { el.removeAttribute(attr); });
      }
    }
    var blocks = document.querySelectorAll(".body pre, .body table.docutils");
    blocks.forEach(check);
    // Turning a phone or resizing the window changes what scrolls.
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { check(entry.target); });
      });
      blocks.forEach(function (el) { observer.observe(el); });
    }
  }

  /* Headings without a level ------------------------------------------------- */

  function setupHeadingLevels() {
    // Sphinx writes toctree captions as role="heading" without the aria-level
    // that role requires; they sit below the page's h1.
    document.querySelectorAll("[role=heading]:not([aria-level])").forEach(function (el) {
      el.setAttribute("aria-level", "2");
    });
  }

  /* Start --------------------------------------------------------------- */

  applyMode(storedMode());
  systemDark.addEventListener("change", function () { applyMode(storedMode()); });
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY) applyMode(event.newValue);
  });

  function start() {
    document.querySelectorAll(".faq-mode-toggle").forEach(function (button) {
      button.addEventListener("click", toggleMode);
    });
    applyMode(storedMode());
    setupMenu();
    setupNotes();
    setupScrollSpy(".faq-tree li.current a[href*='#']");
    setupScrollSpy(".faq-page-toc a[href^='#']");
    showCurrentEntry();
    setupScrollables();
    setupHeadingLevels();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}());
