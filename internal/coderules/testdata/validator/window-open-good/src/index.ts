function test() {
  window.open("https://example.com", "_blank", "noopener,noreferrer");
  window.open("https://example.com", "_blank", "noreferrer,noopener");
  window.open("https://example.com", "_blank", "noopener,noreferrer,width=800");
}
