// Crosslink pages work without this script; it adds small conveniences only.
// No inline handlers: the Content-Security-Policy allows scripts from this file alone.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Filter a table's rows by the value of their data-kind attribute.
  for (const select of document.querySelectorAll("select[data-filter-table]")) {
    const table = document.getElementById(select.dataset.filterTable);
    if (!table) continue;
    select.addEventListener("change", () => {
      for (const row of table.tBodies[0].rows) {
        row.hidden = select.value !== "" && row.dataset.kind !== select.value;
      }
    });
  }
  // Ask before a consequential button (deactivating a user) submits its form.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});
