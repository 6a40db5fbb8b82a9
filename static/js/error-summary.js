// A refused form: the focus moves to the summary of its problems at the top of the page, the title
// says there is an error, and each problem's link takes the focus to its field, opening a folded
// section around it if need be (the NHS and GOV.UK error summary pattern).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  if (!document.title.startsWith("Error: ")) {
    document.title = `Error: ${document.title}`;
  }
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-error-field]");
    if (!link) {
      return;
    }
    const id = decodeURIComponent(link.hash.slice(1));
    const field =
      document.getElementById(id) ||
      document.querySelector(`[name="${CSS.escape(link.dataset.errorField)}"]`) ||
      document.getElementById(`${id}_0`);
    if (!field) {
      return;
    }
    event.preventDefault();
    for (let parent = field.closest("details"); parent; parent = parent.parentElement.closest("details")) {
      parent.open = true;
    }
    const label = (field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`)) || field;
    (field.closest("fieldset") || label).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
