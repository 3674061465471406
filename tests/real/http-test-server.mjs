// The other side of Wasmtime's outbound wasi:http test programs, on 127.0.0.1 only: the
// server of Wasmtime's crates/wasi-http/tests/all/http_server.rs as its tests describe it
// (status 200, `x-wasmtime-test-method` and `x-wasmtime-test-uri` headers, the request's
// content-length copied, the body echoed), and a fetch() that reaches nothing but this
// machine: any other host is refused as an unreachable one would be. Node only; loaded by
// the cases that need it when they run.
import http from 'node:http';

let started = null;

/** `localhost:<port>` of the one test server of this process (started on first use). */
export function testServerAuthority() {
  started ??= new Promise((resolve, reject) => {
    const server = http.createServer(async (req, res) => {
      const chunks = [];
      try {
        for await (const c of req) chunks.push(c);
      } catch {
        return;  // the client went away
      }
      res.setHeader('x-wasmtime-test-method', req.method);
      res.setHeader('x-wasmtime-test-uri', req.url);
      if (req.headers['content-length'] !== undefined) res.setHeader('content-length', req.headers['content-length']);
      res.end(Buffer.concat(chunks));
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();  // a test process ends when its tests do
      resolve(`localhost:${server.address().port}`);
    });
  });
  return started;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** fetch() for the loopback interface only; other hosts fail as refused connections. */
export function loopbackOnlyFetch(url, init) {
  if (!LOOPBACK.has(new URL(url).hostname)) {
    const cause = Object.assign(new Error(`the tests reach nothing but 127.0.0.1: ${new URL(url).host} refused`), { code: 'ECONNREFUSED' });
    return Promise.reject(new TypeError('fetch failed', { cause }));
  }
  return fetch(url, init);
}
