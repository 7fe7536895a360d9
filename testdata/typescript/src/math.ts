export type Pair = [number, number];
export const add = (a: number, b: number): number => a + b;
