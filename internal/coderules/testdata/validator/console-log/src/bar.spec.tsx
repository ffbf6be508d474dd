// This file should be ignored (test file)
function bar() {
  console.log("test");
}
