function test() {
  window.open("https://example.com");
  window.open("https://example.com", "_blank");
  window.open("https://example.com", "_blank", "width=800,height=600");
}
