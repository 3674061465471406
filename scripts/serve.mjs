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

// What `disableCodegen` adds to each page: a module script, first among the page's module
// scripts and after its import map, that tells /js/codegen.mjs that no code may be made
// from strings. A script the browser runs before the page (a driver's init script) cannot
// do it: its module load would come before the import map, which Firefox then ignores.
const DISABLE_CODEGEN = '<script type="module">import { disableCodegen } from \'/js/codegen.mjs\'; disableCodegen();</script>';

/** `html` with DISABLE_CODEGEN after its import map, else before its first script, else at the end of its head. */
function withCodegenDisabled(html) {
  const importMap = /<script\b[^>]*\btype=["']?importmap\b[^>]*>[\s\S]*?<\/script>/i.exec(html);
  let at;
  if (importMap) at = importMap.index + importMap[0].length;
  else if ((at = html.search(/<script\b/i)) < 0 && (at = html.search(/<\/head>/i)) < 0) at = 0;
  return html.slice(0, at) + DISABLE_CODEGEN + html.slice(at);
}

/**
 * Starts the server; resolves to { url, close() }. Port 0 picks a free port. `mounts` maps
 * URL prefixes to other folders (`{ '/real-components/': '/path/to/them' }`). `csp`: a
 * Content-Security-Policy sent with every page (STRICT_CSP, say), or null for none.
 * `disableCodegen`: each HTML page first tells the package (as served from /js/) that code
 * may not be made from strings, as configureEngine({ codegen: false }) would (the browser
 * tests under a strict CSP: tests/helpers/browser.mjs).
 */
export function startServer({ port = 0, root = repoRoot, mounts = {}, csp = null, disableCodegen = false } = {}) {
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
      if (disableCodegen && path.extname(file) === '.html') body = withCodegenDisabled(body.toString('utf8'));
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
