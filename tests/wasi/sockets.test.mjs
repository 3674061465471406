// wasi:sockets 0.3 (js/wasi/sockets.mjs): refused unless the network is allowed, refused
// with a reason where Node's sockets are not, and the shim's TCP and UDP in Node when
// allowed. The host objects are driven as the bridge drives them (a throw with a
// `payload` is the error of the function's result); the Wasmtime programs that use them
// are tests/real's (cases/p3-wasi.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { wasiP3Imports, WASI_P3_VERSION } from '../../js/wasi/index.mjs';
import { socketInterfaces } from '../../js/wasi/sockets.mjs';
import { realMissing, realRoot } from '../real/harness.mjs';

const TYPES = `wasi:sockets/types@${WASI_P3_VERSION}`;
const LOOKUP = `wasi:sockets/ip-name-lookup@${WASI_P3_VERSION}`;

function payloadOf(fn) {
  try {
    fn();
  } catch (e) {
    return e.payload;
  }
  assert.fail('expected the call to fail');
}

test('network off (the default): create and resolve-addresses fail with access-denied', async () => {
  const imports = await wasiP3Imports({});
  const { TcpSocket, UdpSocket } = imports[TYPES];
  assert.deepEqual(payloadOf(() => TcpSocket.create('ipv4')), { tag: 'access-denied' });
  assert.deepEqual(payloadOf(() => UdpSocket.create('ipv6')), { tag: 'access-denied' });
  assert.deepEqual(payloadOf(() => imports[LOOKUP].resolveAddresses('localhost')), { tag: 'access-denied' });
  assert.throws(() => TcpSocket.create('ipv4'), /give the WASI option `network: true`/);
});

test('where Node is not (a page): every socket fails with other("... not available here ..."), and the shim is never loaded', async () => {
  let loaded = false;
  const page = {};  // a global without `process`
  const imports = await socketInterfaces({ network: true }, WASI_P3_VERSION, () => { loaded = true; }, page);
  assert.equal(loaded, false);
  const tcp = payloadOf(() => imports[TYPES].TcpSocket.create('ipv4'));
  assert.equal(tcp.tag, 'other');
  assert.match(tcp.val, /^TCP is not available here: wasi:sockets needs Node/);
  assert.match(payloadOf(() => imports[TYPES].UdpSocket.create('ipv4')).val, /^UDP is not available here/);
  assert.match(payloadOf(() => imports[LOOKUP].resolveAddresses('example.com')).val, /^name lookup is not available here/);
});

test('the refusing classes have every member of the 0.3.0 resources, so that any import of them links', async () => {
  const imports = await wasiP3Imports({});
  const { TcpSocket, UdpSocket } = imports[TYPES];
  for (const m of ['bind', 'connect', 'listen', 'send', 'receive', 'getLocalAddress', 'setKeepAliveCount', 'getSendBufferSize']) {
    assert.equal(typeof TcpSocket.prototype[m], 'function', `TcpSocket.${m}`);
  }
  for (const m of ['bind', 'connect', 'disconnect', 'send', 'receive', 'getUnicastHopLimit']) {
    assert.equal(typeof UdpSocket.prototype[m], 'function', `UdpSocket.${m}`);
  }
  assert.throws(() => new TcpSocket(), /made by TcpSocket.create only/);
  assert.throws(() => TcpSocket.prototype.bind.call({}), /no TcpSocket exists here/);
});

test('network on, in Node: TCP binds on 127.0.0.1 and reports the port it got; a bound address is refused to a second socket', async () => {
  const imports = await wasiP3Imports({ network: true });
  const { TcpSocket } = imports[TYPES];
  const a = TcpSocket.create('ipv4');
  a.bind({ tag: 'ipv4', val: { port: 0, address: [127, 0, 0, 1] } });
  const local = a.getLocalAddress();
  assert.equal(local.tag, 'ipv4');
  assert.deepEqual(local.val.address, [127, 0, 0, 1]);
  assert.ok(local.val.port > 0, 'an ephemeral port was assigned');
  a.listen();
  const b = TcpSocket.create('ipv4');
  assert.deepEqual(payloadOf(() => b.bind(local)), { tag: 'address-in-use' });
  a[Symbol.dispose]?.();
  b[Symbol.dispose]?.();
});

const fixture = (name) => `${realRoot}/jco-transpile/p3/sockets/${name}.wasm`;
const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;

function run(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'run', ...args], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

test('a real program (Wasmtime\'s p3_sockets_tcp_bind) sees access-denied without --network', { skip: realMissing }, async () => {
  const { code, stderr } = await run([fixture('p3-sockets-tcp-bind')]);
  assert.notEqual(code, 0);
  assert.match(stderr, /ErrorCode::AccessDenied/);
});
