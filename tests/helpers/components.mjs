// Test components are written by us in component text format (tests/components/*.wat)
// and turned into binaries at test time with the wasm-tools inside jco (`jco parse`).
import { readFile } from 'node:fs/promises';
import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco';

const cache = new Map();

export const componentsDir = new URL('../components/', import.meta.url);

/** The binary of tests/components/<name>.wat. */
export function componentBytes(name) {
  if (!cache.has(name)) {
    cache.set(name, readFile(new URL(`${name}.wat`, componentsDir), 'utf8').then((text) => parse(text)));
  }
  return cache.get(name);
}

/** The binary of component text given inline. */
export function watToBytes(text) {
  return parse(text);
}

/**
 * A component made by wit-component from WIT text (jco's componentEmbed --dummy +
 * componentNew): the world's imports and exports as a real toolchain encodes them; its
 * functions trap if called.
 */
export async function witToComponent(witSource, world) {
  return componentNew(await componentEmbed({ dummy: true, witSource, world }));
}

/** The component of world `world` in tests/components/<name>.wit. */
export async function witFileComponent(name, world) {
  return witToComponent(await readFile(new URL(`${name}.wit`, componentsDir), 'utf8'), world);
}
