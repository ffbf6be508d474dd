// This file should be ignored (test file)
function bar() {
  const featureToggles = {
    topnav: true,
  }
  if (featureToggles.topnav) {
    // do something
  }
}
