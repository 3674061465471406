// What "contained" means for a misbehaving guest or host, asserted the same way in every
// hostile test: the misuse fails with the documented error class (and a message that names
// it); the instance is locked down if, and only if, guest code had begun (a trap), and
// otherwise still takes calls; another instance of the same compiled component and an
// instance of a fresh compile of the same bytes go on working.
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';

/**
 * @param {object} o
 * @param {Uint8Array} o.bytes the component
 * @param {() => object} o.imports a fresh import object per instance
 * @param {(exports, instance) => unknown} o.misuse does the hostile thing (may be async)
 * @param {Function} o.error the expected error class (TypeError, RangeError, ComponentTrap, ...)
 * @param {RegExp} o.message what the error message must say
 * @param {boolean} o.locked whether the instance must refuse calls afterwards
 * @param {(exports) => unknown} o.probe a call that works on a healthy instance (may be async)
 * @param {object} [o.options] instantiate options for every instance made here
 */
export async function assertContained({ bytes, imports = () => ({}), misuse, error, message, locked, probe, options }) {
  const component = await Component.compile(bytes);
  const victim = await component.instantiate(imports(), options);
  const bystander = await component.instantiate(imports(), options);
  assert.ok(await probe(victim.exports), 'the probe works before the misuse');

  let thrown;
  try {
    await misuse(victim.exports, victim);
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, 'the misuse failed');
  assert.ok(thrown instanceof error, `expected a ${error.name}, got ${thrown?.constructor?.name}: ${thrown?.message}`);
  assert.match(thrown.message, message);
  if (error !== ComponentTrap) assert.ok(!(thrown instanceof ComponentTrap), `a ${error.name}, not a trap: ${thrown.message}`);

  if (locked) {
    await assert.rejects(async () => probe(victim.exports), (e) => e instanceof ComponentTrap && /trapped earlier/.test(e.message),
      'the instance refuses calls after it trapped');
  } else {
    assert.ok(await probe(victim.exports), 'the instance still takes calls: no guest code ran');
  }
  assert.ok(await probe(bystander.exports), 'another instance of the same component goes on');
  const fresh = await (await Component.compile(bytes)).instantiate(imports(), options);
  assert.ok(await probe(fresh.exports), 'an instance of a fresh compile goes on');
  return thrown;
}
