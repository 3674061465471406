// cmbridge: run WebAssembly components in browsers and Node, straight from the .wasm.
export { Component, instantiate } from './component.mjs';
export { ComponentTrap, ComponentError, ErrorContext } from './errors.mjs';
export { configureEngine } from './engine-loader.mjs';
