// This file should be ignored (test file)
function foobar() {
  console.log("test");
}
