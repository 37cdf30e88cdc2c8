/* qimma's few behaviours (no inline script: the Content-Security-Policy forbids it).
   - forms with data-confirm ask before they are sent;
   - the stance grid is edited from the keyboard: arrows move between cells, Enter (or Space,
     F2) opens a cell's form, Escape cancels it, focus comes back to the cell after saving;
   - report downloads show at once that the report is being prepared, and for how long. */
(function () {
  "use strict";

  document.addEventListener("submit", function (e) {
    const form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
    }
  });

  // --- stance grid ---------------------------------------------------------------------------
  function cellAt(cell, dRow, dCol) {
    const row = cell.parentElement;
    const rows = Array.from(row.parentElement.children);
    const r = rows.indexOf(row) + dRow;
    if (r < 0 || r >= rows.length) return null;
    const col = Array.from(row.children).indexOf(cell) + dCol;
    const target = rows[r].children[col];
    return target && target.classList.contains("cell") ? target : null;
  }

  let pendingCell = null;
  document.addEventListener("keydown", function (e) {
    const t = e.target;
    if (t.matches && t.matches("td.cell:not(.editing)")) {
      const rtl = document.documentElement.dir === "rtl";
      const moves = {
        ArrowUp: [-1, 0], ArrowDown: [1, 0],
        ArrowLeft: [0, rtl ? 1 : -1], ArrowRight: [0, rtl ? -1 : 1],
      };
      if (moves[e.key]) {
        const next = cellAt(t, moves[e.key][0], moves[e.key][1]);
        if (next) next.focus();
        e.preventDefault();
      } else if (e.key === "Enter" || e.key === " " || e.key === "F2") {
        e.preventDefault();
        pendingCell = t.id;
        htmx.trigger(t, "click");
      }
      return;
    }
    const form = t.closest && t.closest("td.cell.editing");
    if (form && e.key === "Escape") {
      e.preventDefault();
      pendingCell = form.id;
      form.querySelector("button[type=button]").click();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    const cell = e.detail.elt.closest && e.detail.elt.closest("td.cell");
    if (cell) pendingCell = cell.id;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pendingCell) return;
    const el = document.getElementById(pendingCell);
    pendingCell = null;
    if (!el) return;
    const first = el.querySelector(".has-error input, input, select");
    (first || el).focus();
  });

  // --- report downloads ----------------------------------------------------------------------
  document.addEventListener("click", function (e) {
    const a = e.target.closest && e.target.closest("a[data-download]");
    if (!a || !window.fetch) return;
    e.preventDefault();
    const status = document.getElementById("download-status");
    const started = Date.now();
    const tick = function () {
      const s = Math.round((Date.now() - started) / 1000);
      status.textContent = a.dataset.preparing.replace("{seconds}", s);
    };
    status.hidden = false;
    status.classList.remove("error");
    tick();
    const timer = setInterval(tick, 1000);
    a.setAttribute("aria-busy", "true");
    fetch(a.href, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) return r.text().then(function (t) { throw new Error(t); });
        return r.blob();
      })
      .then(function (blob) {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = a.dataset.download;
        document.body.appendChild(link);
        link.click();
        link.remove();
        status.textContent = a.dataset.ready;
      })
      .catch(function (err) {
        const doc = new DOMParser().parseFromString(err.message, "text/html");
        const problem = doc.querySelector(".problems");
        status.textContent = problem ? problem.textContent.trim() : a.dataset.failed;
        status.classList.add("error");
      })
      .finally(function () {
        clearInterval(timer);
        a.removeAttribute("aria-busy");
      });
  });
})();
