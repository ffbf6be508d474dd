function test() {
  console.log("test");
}
