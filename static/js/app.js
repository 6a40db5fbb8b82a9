// Small progressive enhancements only; every page works without JavaScript.
document.addEventListener("htmx:configRequest", (event) => {
  const source = event.detail.elt;
  if (source && source.hasAttribute("data-background-poll")) {
    event.detail.headers["X-Background-Poll"] = "1";
  }
});

// "Print" buttons on printable pages.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
