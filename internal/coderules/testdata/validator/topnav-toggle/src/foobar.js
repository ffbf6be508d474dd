// This file should be ignored (js file)
function foobar() {
  const featureToggles = {
    topnav: true,
  }
  if (featureToggles.topnav) {
    // do something
  }
}
