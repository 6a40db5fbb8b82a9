// The contact form: choosing a type fills the minutes that fit it, and empties them for a
// did not attend or a cancellation. Minutes the worker typed are never overwritten.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-default-minutes]").forEach((select) => {
    const minutes = select.form && select.form.elements.duration_minutes;
    if (!minutes) {
      return;
    }
    const defaults = JSON.parse(select.dataset.defaultMinutes);
    const notSeen = (select.dataset.notSeen || "").split(" ");
    let filled = minutes.value;
    select.addEventListener("change", () => {
      if (minutes.value !== "" && minutes.value !== filled) {
        return; // typed by the worker
      }
      minutes.value = notSeen.includes(select.value) ? "" : String(defaults[select.value] ?? "");
      filled = minutes.value;
    });
  });
});
