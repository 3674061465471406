// The wasi:http 0.3 interfaces a component imports, for one set of WASI imports
// (preview3.mjs): `types` (fields, request, request-options, response), `client` (send over
// fetch()) and `handler` (an imported handler: the request goes out over fetch() too, as
// Wasmtime's host does for a component that is not linked to another one).
import { makeClient } from './client.mjs';
import { makeFieldsClass } from './fields.mjs';
import { Request, RequestOptions } from './request.mjs';
import { Response } from './response.mjs';

/**
 * `network`: whether requests may go out (else every send fails with HTTP-request-denied).
 * `http.fetch`: the fetch() to send with (default: the platform's). `http.forbiddenHeaders`:
 * names a guest may not set, besides the transport's own (fields.mjs).
 */
export function httpInterfaces({ network, http = {} }, version) {
  const Fields = makeFieldsClass(http.forbiddenHeaders ?? []);
  const client = makeClient({ network, fetch: http.fetch, Fields });
  return {
    [`wasi:http/types@${version}`]: { Fields, Request, RequestOptions, Response },
    [`wasi:http/client@${version}`]: client,
    [`wasi:http/handler@${version}`]: { handle: (request, call) => client.send(request, call) },
  };
}
