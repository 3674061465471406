// Exports of the `greeter` world: two plain functions and two async ones.
export { greet, add } from './greeter-sync.js';

export async function greetLater(name) {
  await Promise.resolve();
  return `Hello later, ${name}!`;
}

export async function sumLater(values) {
  let sum = 0;
  for (const value of values) {
    sum += value;
    await null;  // each step goes back to the guest runtime's job queue
  }
  return sum;
}
