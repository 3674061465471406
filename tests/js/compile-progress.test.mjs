// Component.compile's onProgress: the source's bytes as they arrive (a Response's body
// chunk by chunk, with its content-length), then the engine's validation, each core
// module compiled, done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const bytes = await componentBytes('streams-composed');

// A Response whose body arrives in `parts` chunks.
function chunkedResponse(data, parts, headers = {}) {
  const size = Math.ceil(data.length / parts);
  let at = 0;
  return new Response(new ReadableStream({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  }), { headers });
}

test('a Response: download events as the body arrives, then validated, each module, done', async () => {
  const events = [];
  const component = await Component.compile(chunkedResponse(bytes, 4, { 'content-length': String(bytes.length) }), { onProgress: (e) => events.push(e) });
  const downloads = events.filter((e) => e.phase === 'download');
  assert.ok(downloads.length >= 4, `${downloads.length} download events`);
  assert.ok(downloads.every((e, i) => e.total === bytes.length && (i === 0 || e.loaded >= downloads[i - 1].loaded)));
  assert.equal(downloads.at(-1).loaded, bytes.length);
  const modules = component.plan.modules.length;
  assert.ok(modules >= 2, 'a component with several core modules');
  const rest = events.slice(downloads.length);
  assert.deepEqual(rest, [
    { phase: 'validated', loaded: 0, total: modules },
    ...Array.from({ length: modules }, (_, i) => ({ phase: 'modules', loaded: i + 1, total: modules })),
    { phase: 'done', loaded: modules, total: modules },
  ]);
});

test('bytes at hand: one download event; a body without content-length: total undefined until the end', async () => {
  const events = [];
  await Component.compile(bytes, { onProgress: (e) => events.push(e) });
  assert.deepEqual(events.filter((e) => e.phase === 'download'), [{ phase: 'download', loaded: bytes.length, total: bytes.length }]);
  const unsized = [];
  await Component.compile(chunkedResponse(bytes, 3), { onProgress: (e) => unsized.push(e) });
  const downloads = unsized.filter((e) => e.phase === 'download');
  assert.ok(downloads.slice(0, -1).every((e) => e.total === undefined));
  assert.deepEqual(downloads.at(-1), { phase: 'download', loaded: bytes.length, total: bytes.length });
});

test('onProgress is checked, and one that throws fails the compile with its error', async () => {
  await assert.rejects(Component.compile(bytes, { onProgress: 'yes' }), /onProgress.*expected a function/);
  const boom = new Error('boom');
  await assert.rejects(Component.compile(bytes, { onProgress: () => { throw boom; } }), (e) => e === boom);
});
