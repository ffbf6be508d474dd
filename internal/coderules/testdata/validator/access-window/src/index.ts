function test() {
  window.grafanaBootData;
  window.grafanaBootData.testProp;
  window.grafanaRuntime;
  window.__grafanaSceneContext;
}
