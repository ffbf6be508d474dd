// @ts-ignore
const x: number = "not a number";

// @ts-expect-error
const y: string = 123;
