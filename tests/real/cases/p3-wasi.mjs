// Wasmtime's WASI 0.3 test programs (crates/test-programs/src/bin/p3_*.rs, Rust,
// wit-bindgen 0.58), as jco keeps them: jco-transpile/p3/{cli,clocks,random,fs,http,sockets}/.
// Wasmtime runs the commands from crates/wasi/tests/all/p3/mod.rs and tests/all/cli_tests.rs
// (arguments [name, "."], an environment, an empty preopened scratch directory, empty stdin);
// jco's packages/jco-transpile/test/p3/fixtures-cli.ts does much the same with "/" as the
// preopen. Ours run through `cmbridge run` in a child process, as a user would, and assert
// what each program must do: its exit code, its stdout and stderr, the files it leaves.
//
// Most of them trap before they get far: wit-bindgen 0.58's async runtime cancels the read
// of its inter-task unit stream synchronously while that stream is still in the task's
// waitable set (wit_bindgen::rt::async_support::FutureState::callback, the first time the
// task is woken by an event after it went to sleep), which the spec forbids (component-model
// PR #647; fixed in wit-bindgen PR #1638). Each such case still states the whole correct
// run, so that the same assertions hold for a rebuilt component.
//
// wasi:http is ours (js/wasi/http/): outbound programs run against a server on 127.0.0.1,
// services through serve(). wasi:sockets runs in process with the network allowed.
import assert from 'node:assert/strict';

const P3 = 'jco-transpile/p3';

/** The spec's trap for wit-bindgen 0.58's synchronous cancel of a stream in a waitable set. */
const WIT_BINDGEN_058 = {
  trap: /wit-bindgen 0\.58/,
  because: 'wit-bindgen 0.58 cancels its unit-stream read synchronously while the stream is in a waitable set (spec traps since CM PR #647)',
};

/**
 * A command case with a fresh empty directory preopened as `/` (`scratch`: a temporary
 * directory in Node, a MemoryDirectory in a page); `check(result, dir)` runs after a clean
 * exit, `dir` a view of it: `list()`, `readText(name)`, `size(name)`.
 */
function withScratchDir(spec, check) {
  return { ...spec, scratch: true, check: (result, dir) => check(dir) };
}

async function assertEmptyDir(dir, what) {
  assert.deepEqual(await dir.list(), [], `${what}: the program removes what it created`);
}

// ---- cli -----------------------------------------------------------------------------

const cli = [
  {
    // Arguments exactly [argv0, "."], some environment, no initial cwd, no terminal on
    // stdin/stdout/stderr (the child's stdio are pipes), stdin empty, then one line each
    // to stdout and stderr, every write accepted whole.
    fixture: `${P3}/cli/p3-cli.wasm`,
    command: {
      argv0: 'p3_cli.component',
      args: ['.'],
      env: { CMBRIDGE_TEST: 'p3-cli' },
      stdin: '',
      stdout: 'hello stdout\n',
      stderr: 'hello stderr\n',
    },
    expect: WIT_BINDGEN_058,
  },
  {
    fixture: `${P3}/cli/p3-cli-hello-stdout.wasm`,
    command: { stdout: 'hello, world\n', stderr: '' },
    expect: WIT_BINDGEN_058,
  },
  {
    // `run` returns after its first line; a task it left behind writes a second one after
    // some yields. Wasmtime's CLI ends when `run` returns (it prints only the first line);
    // a host that lets the task finish prints both.
    fixture: `${P3}/cli/p3-cli-hello-stdout-post-return.wasm`,
    command: { stdout: /^hello, world\n(hello again, after return\n)?$/, stderr: '' },
    expect: WIT_BINDGEN_058,
  },
  // Writes its first argument (after argv0) the second argument's times, each write_all
  // accepted whole: Wasmtime's test writes 256 KiB of 'a' in chunks of 1 to 16 KiB.
  ...[[1024, 256], [16384, 16]].map(([size, times]) => ({
    fixture: `${P3}/cli/p3-cli-much-stdout.wasm`,
    name: `${times} x ${size} bytes`,
    command: {
      args: ['a'.repeat(size), String(times)],
      stdout: 'a'.repeat(size * times),
      stderr: '',
    },
    expect: WIT_BINDGEN_058,
  })),
  // p3-cli-serve-* export wasi:http/handler (services): with the http ones below.
];

// ---- clocks, random ------------------------------------------------------------------

const clocksRandom = [
  {
    // Sleeps 10 ms twice (wait-until now+10ms, wait-for 10ms); then wait-until now (or a
    // mark already past) and wait-for 0 must be ready the first time they are polled.
    fixture: `${P3}/clocks/p3-clocks-sleep.wasm`,
    command: { stdout: '', stderr: '' },
    expect: WIT_BINDGEN_058,
  },
  {
    // 100 random bytes (secure and insecure), a nonzero u64 within 100 tries of each, and
    // the same insecure seed twice.
    fixture: `${P3}/random/p3-random-imports.wasm`,
    command: { stdout: '', stderr: '' },
  },
];

// ---- filesystem ----------------------------------------------------------------------

/** What p3-file-write writes: "123456789 NNNNN " for NNNNN = 0..4095, 64 KiB in all. */
const LONG_WRITE = Array.from({ length: 4096 }, (_, n) => `123456789 ${String(n).padStart(5, '0')} `).join('');

const fs = [
  {
    // Creates long_write.txt, writes 64 KiB through write-via-stream, stats it, reads it
    // back whole and from 100 bytes before its end; creates test-zero-write-fails.txt and
    // finds that write-via-stream on a read-only descriptor fails (access, bad-descriptor
    // or not-permitted) without taking the byte offered.
    fixture: `${P3}/fs/p3-file-write.wasm`,
    command: withScratchDir({ stdout: '', stderr: '' }, async (dir) => {
      assert.deepEqual((await dir.list()).sort(), ['long_write.txt', 'test-zero-write-fails.txt']);
      assert.equal(await dir.readText('long_write.txt'), LONG_WRITE);
      assert.equal(await dir.size('test-zero-write-fails.txt'), 0, 'nothing is written through a read-only descriptor');
    }),
    expect: WIT_BINDGEN_058,
  },
  {
    // read-via-stream on the preopened directory fails with is-directory; test.txt gets
    // "Hello, " and "World!" written at offset 5, reads back as five NULs and the text
    // (and from offset 5 as the text alone), and is unlinked.
    fixture: `${P3}/fs/p3-filesystem-file-read-write.wasm`,
    command: withScratchDir({ stdout: '', stderr: '' }, (dir) => assertEmptyDir(dir, 'test.txt')),
    expect: WIT_BINDGEN_058,
  },
  {
    // An empty preopen lists nothing; with `file` and directory `nested` it lists both,
    // with their types, and `nested` lists nothing; then 1000 files list as 1000 entries.
    // Everything is removed again.
    fixture: `${P3}/fs/p3-readdir.wasm`,
    command: withScratchDir({ stdout: '', stderr: '' }, (dir) => assertEmptyDir(dir, 'file, nested, file.0-999')),
    expect: WIT_BINDGEN_058,
    timeout: 60000,
  },
];

// ---- http (ours: js/wasi/http/) -----------------------------------------------------

// The outbound programs send to $HTTP_SERVER (http-test-server.mjs, on 127.0.0.1); a
// program that names another host gets a refused connection, which their assertions
// accept where they expect a DNS error or a timeout. `custom-forbidden-header` is
// forbidden as Wasmtime's test host forbids it.
const NODE_SERVER = 'needs a node:http server on 127.0.0.1';
const outboundWasi = async () => {
  const { testServerAuthority, loopbackOnlyFetch } = await import('../http-test-server.mjs');
  return {
    env: { HTTP_SERVER: await testServerAuthority() },
    network: true,
    http: { fetch: loopbackOnlyFetch, forbiddenHeaders: ['custom-forbidden-header'] },
  };
};
const runCommandExport = ({ exports }) => exports['wasi:cli/run@0.3.0'].run();

const outbound = (name, because, expect = WIT_BINDGEN_058) => ({
  fixture: `${P3}/http/p3-http-outbound-request-${name}.wasm`,
  name: because,
  wasi: outboundWasi,
  run: runCommandExport,
  node: NODE_SERVER,
  ...(expect ? { expect } : {}),
});

// A program that never sends: no server, no network, so a page runs it too.
const outboundWithoutSending = (name, because) => ({
  fixture: `${P3}/http/p3-http-outbound-request-${name}.wasm`,
  name: because,
  wasi: { env: { HTTP_SERVER: '127.0.0.1:9' }, http: { forbiddenHeaders: ['custom-forbidden-header'] } },
  run: runCommandExport,
});

// Every program that awaits a response sleeps in wit-bindgen 0.58's runtime and traps when
// it is woken (the spec's rule above); each still states what a rebuilt one must see.
const httpOutbound = [
  outbound('get', 'GET /get?some=arg&goes=here: 200, x-wasmtime-test-method GET, the uri, an empty body'),
  outbound('post', 'POST /post {"foo": "bar"}: echoed'),
  outbound('put', 'PUT /put with an empty body'),
  outbound('large-post', 'POST of 1,049,600 bytes, echoed whole'),
  outbound('content-length', 'content-length 11 with 11, 3 and 18 bytes: ok, HTTP-request-body-size(3), (18)'),
  outbound('invalid-dnsname', 'some.invalid.dnsname: DNS-error or connection-refused'),
  outbound('invalid-version', 'CONNECT: refused (fetch() cannot send it)'),
  outbound('missing-path-and-query', 'no path: HTTP-request-URI-invalid before any network'),
  outbound('timeout', 'a 200 ms connect timeout to 203.0.113.12: connection-timeout or connection-refused'),
  outbound('unsupported-scheme', 'scheme WS: accepted by set-scheme, HTTP-protocol-error from send'),
  // These four answer before any await, and send nothing.
  outboundWithoutSending('invalid-header', 'field names, values, forbidden names (custom-forbidden-header too), immutable request headers'),
  outboundWithoutSending('invalid-port', 'set-authority refuses localhost:99999'),
  outboundWithoutSending('response-build', 'a dropped request or response cancels its body; the setters refuse what is not a URI part'),
  outboundWithoutSending('unknown-method', 'set-method refuses "bad\\nmethod"'),
];

/**
 * A service program served by serve(): one request, its response checked. `server`: it
 * sends requests of its own, to the node:http test server (so Node only); the others run
 * in pages too.
 */
const service = (folder, name, because, request, check, { server = false } = {}) => ({
  fixture: `${P3}/${folder}/${name}.wasm`,
  name: because,
  ...(server ? { node: NODE_SERVER } : {}),
  expect: WIT_BINDGEN_058,
  wasi: server ? outboundWasi : true,  // the instance the harness makes; serve() makes its own
  run: async ({ component }) => {
    const { serve } = await import('../../../js/wasi/index.mjs');
    const outbound = server ? { network: true, http: { fetch: (await import('../http-test-server.mjs')).loopbackOnlyFetch } } : {};
    const errors = [];
    const handler = await serve(component, { ...outbound, requestTimeout: 5000, onError: (e) => errors.push(e) });
    const response = await handler(await request());
    const body = await response.text().catch((e) => errors.push(e));
    if (errors.length > 0) throw errors[0];
    await check(response, body);
  },
});

const httpServices = [
  service('cli', 'p3-cli-serve-hello-world', 'GET /: 200, "Hello, WASI!", no trailers', () => new Request('http://localhost/'), (r, body) => {
    assert.equal(r.status, 200);
    assert.equal(body, 'Hello, WASI!');
  }),
  service('cli', 'p3-cli-serve-sleep', 'waits u64::MAX ns: cancelled at the request timeout, 503', () => new Request('http://localhost/'), (r) => {
    assert.equal(r.status, 503);
  }),
  service('http', 'p3-http-echo', 'POST with foo: bar: the body and headers echoed', () => new Request('http://localhost/', { method: 'POST', body: 'And the mome raths outgrabe', headers: { foo: 'bar' } }), (r, body) => {
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('foo'), 'bar');
    assert.equal(body, 'And the mome raths outgrabe');
  }),
  service('http', 'p3-api-proxy', 'GET with scheme, authority and path: "hello, world!"', () => new Request('http://example.com:8080/test-path'), (r, body) => {
    assert.equal(r.status, 200);
    assert.equal(body, 'hello, world!');
  }),
  service('http', 'p3-http-proxy', 'forwards to the url header (the test server) with client.send', async () => {
    const { testServerAuthority } = await import('../http-test-server.mjs');
    return new Request('http://localhost/', { headers: { url: `http://${await testServerAuthority()}/proxied` } });
  }, (r) => {
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-wasmtime-test-uri'), '/proxied');
  }, { server: true }),
  service('http', 'p3-http-middleware', 'deflates the echo of the imported handler (over fetch() here)', () => new Request('http://localhost/'), (r) => {
    assert.equal(r.status, 200);
  }, { server: true }),
  {
    fixture: `${P3}/http/p3-http-middleware-with-chain.wasm`,
    skip: 'imports local:local/chain-http, which Wasmtime\'s test links to p3-http-echo by composing the two (wasm-compose); no composed binary is among the fixtures',
  },
];

// ---- sockets (the shim's in Node, behind `network`: js/wasi/sockets.mjs) ----------------

// In process, with the network allowed. Every address they connect or send to is loopback,
// except UDP connects without a packet (udp-connect's 123.234.12.34) and binds or connects
// that must fail before any traffic (tcp-bind's 192.0.2.0, tcp-connect's 0.0.0.0:47, ...).
// Programs that await trap at their first await (wit-bindgen 0.58, above); what comes
// before it, and the three programs that never await, run against the real sockets.
const SOCKETS = 'wasi:sockets needs Node (node:net, node:dgram)';
const socketProgram = (name, because, expect = WIT_BINDGEN_058) => ({
  fixture: `${P3}/sockets/p3-sockets-${name}.wasm`,
  name: because,
  wasi: { network: true },
  run: runCommandExport,
  node: SOCKETS,
  ...(expect ? { expect } : {}),
});

const sockets = [
  // A rebuilt program would go on to resolve public names (example.com, ...): a case that
  // runs to the end needs a resolver of its own here, to keep the lookups on the machine.
  socketProgram('ip-name-lookup', 'resolves localhost first (awaited at once); IP literals map to themselves, bad names are invalid-argument'),
  socketProgram('tcp-bind', 'port 0 gets a port back; address-in-use, address-not-bindable (192.0.2.0), invalid-argument for the wrong family; reuseaddr after a connection (the first await)'),
  socketProgram('tcp-connect', 'connects to 0.0.0.0:47, port 0, broadcast, multicast: invalid-argument (awaited at once); a bound client connects over loopback'),
  socketProgram('tcp-listen', 'listen binds implicitly; after binding 0.0.0.0:0 or [::]:0 the local address stays (nothing awaited)', null),
  socketProgram('tcp-sample-application', 'a listener on loopback, backlog 32; two clients send a line each, received exactly, then the stream ends'),
  socketProgram('tcp-sockopts', 'option defaults above 0, 0 refused, large values capped, set values read back; accepted sockets inherit them (the first await)'),
  socketProgram('tcp-states', 'which calls give invalid-state in each state (unbound, bound, listening, connected); connect on a listener awaits'),
  socketProgram('tcp-streams', 'ping/pong over loopback pairs; a remote shutdown ends the receive stream; 2 MiB arrives intact'),
  socketProgram('udp-bind', 'port 0 gets a port back; address-in-use, address-not-bindable, invalid-argument for the wrong family (nothing awaited)', null),
  socketProgram('udp-connect', 'connect, disconnect, reconnect, implicit bind, invalid-argument cases; a connected socket sends "hello" to loopback (the first await)'),
  socketProgram('udp-receive', 'receive on an unbound socket is invalid-state (awaited at once)'),
  socketProgram('udp-sample-application', 'a server on loopback; an empty datagram and a line from a connected client, a line from an unconnected one'),
  socketProgram('udp-send', 'send binds implicitly (awaited at once); invalid-argument for the wrong family; a closed port answers connection-refused'),
  socketProgram('udp-sockopts', 'hop limit and buffer sizes above 0, 0 refused, large values capped, set values read back (nothing awaited)', null),
  socketProgram('udp-states', 'an unbound send(None) is invalid-argument (awaited at once); invalid-state per state; options work in every state'),
];

export default [...cli, ...clocksRandom, ...fs, ...httpOutbound, ...httpServices, ...sockets];
