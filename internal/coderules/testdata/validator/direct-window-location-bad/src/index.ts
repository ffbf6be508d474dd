function getParams() {
  const search = window.location.search;
  const href = window.location.href;
  const params = new URLSearchParams(window.location.search);
}
