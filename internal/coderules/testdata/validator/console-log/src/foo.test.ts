// This file should be ignored (test file)
function foo() {
  console.log("test");
}
