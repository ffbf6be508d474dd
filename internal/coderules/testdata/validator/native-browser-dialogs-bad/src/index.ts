function test() {
  alert("hello");
  window.alert("hello");
  window.confirm("are you sure?");
  window.prompt("enter your name");
}
