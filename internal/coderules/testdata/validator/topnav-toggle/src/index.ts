function test() {
  const featureToggles = {
    topnav: true,
  }
  if (featureToggles.topnav) {
    // do something
  }
}
