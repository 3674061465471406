// A small static file server for the demo page and the browser tests: serves the
// repository (the page imports the package from /js/), on 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './prerequisites.mjs';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.wat': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

// A strict Content-Security-Policy as production sites send it: scripts only from this
// origin or carrying the page's nonce, WebAssembly compilation allowed, and no
// 'unsafe-eval', so nothing may be made from strings (`new Function`, `eval`). {nonce}
// is replaced per response; every <script> of a served page gets that nonce.
export const STRICT_CSP = "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";

/**
 * Starts the server; resolves to { url, close() }. Port 0 picks a free port. `mounts` maps
 * URL prefixes to other folders (`{ '/real-components/': '/path/to/them' }`). `csp`: a
 * Content-Security-Policy sent with every page (STRICT_CSP, say), or null for none.
 */
export function startServer({ port = 0, root = repoRoot, mounts = {}, csp = null } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      const pathname = decodeURIComponent(url.pathname);
      const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
      const base = mount ? path.resolve(mounts[mount]) : root;
      let file = path.normalize(path.join(base, mount ? pathname.slice(mount.length) : pathname));
      if (!file.startsWith(base)) return send(res, 403, 'forbidden');
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
      let body = await readFile(file).catch(() => null);
      if (body === null) return send(res, 404, `not found: ${url.pathname}`);
      const headers = { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      if (csp !== null) {
        const nonce = randomBytes(16).toString('base64');
        headers['content-security-policy'] = csp.replaceAll('{nonce}', nonce);
        if (path.extname(file) === '.html') body = body.toString('utf8').replace(/<script\b/g, `<script nonce="${nonce}"`);
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch (e) {
      send(res, 500, String(e));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      // close() ends the connections a browser still holds open (keep-alive, preconnects)
      // too; otherwise it waits for a running browser to let go of them.
      const close = () => new Promise((r) => {
        server.close(r);
        server.closeAllConnections();
      });
      resolve({ url: `http://127.0.0.1:${actual}`, close });
    });
  });
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
