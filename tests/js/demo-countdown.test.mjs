// The demo's async example, countdown (web-demo/components/rot13.wat), cancelled through an
// AbortSignal as the README shows: the guest lets the sleep in flight run out, then
// acknowledges with task.cancel, and the call rejects with the signal's reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Component } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const rot13 = await Component.compile(await watToBytes(await readFile(new URL('../../web-demo/components/rot13.wat', import.meta.url), 'utf8')));

function sleeper() {
  const calls = [];
  const sleep = (ms) => {
    calls.push(ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  };
  return { sleep, calls };
}

test('countdown runs to its end when not cancelled', async () => {
  const { sleep, calls } = sleeper();
  const { exports } = await rot13.instantiate({ sleep });
  assert.equal(await exports.countdown(3, 1), 3);
  assert.deepEqual(calls, [1, 1, 1]);
});

test('countdown cancelled: the sleep in flight ends, no other starts, the call rejects with the reason, the instance lives on', async () => {
  const { sleep, calls } = sleeper();
  const { exports } = await rot13.instantiate({ sleep });
  const controller = new AbortController();
  const reason = new Error('enough');
  const pending = exports.countdown(50, 20, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.abort(reason);
  await assert.rejects(pending, (e) => e === reason);
  const started = calls.length;
  assert.ok(started >= 1 && started < 50, `${started} sleeps started`);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(calls.length, started, 'no sleep started after the cancel');
  assert.equal(await exports.countdown(1, 1), 1, 'the instance still works');
});
