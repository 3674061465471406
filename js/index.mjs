// cmbridge: run WebAssembly components in browsers and Node, straight from the .wasm.
export { Component, instantiate } from './component.mjs';
export { ComponentTrap, ComponentError, ErrorContext } from './errors.mjs';
export { configureEngine } from './engine-loader.mjs';
export { detectDeadlocks } from './runtime/async/deadlock.mjs';
