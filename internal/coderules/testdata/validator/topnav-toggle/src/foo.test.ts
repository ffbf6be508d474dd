// This file should be ignored (test file)
function foo() {
  const featureToggles = {
    topnav: true,
  }
  if (featureToggles.topnav) {
    // do something
  }
}
