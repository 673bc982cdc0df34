// The search overlay is a dialog: give it a name for screen readers (the theme leaves it
// unnamed; axe-core "aria-dialog-name").
document.querySelectorAll(".md-search[role=dialog]").forEach(el => el.setAttribute("aria-label", "Search the guide"));
