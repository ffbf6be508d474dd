const x: number = 42;
const y: string = "hello";
