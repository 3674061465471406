// wasi:http/types `response`: built by the guest (`new`, the answer of its handler) or by
// the host (what client.send received). Status 200 unless set; headers immutable once it
// holds them.
import { Body } from './body.mjs';
import { FREEZE } from './fields.mjs';
import { refuse } from './http-error.mjs';
import { DISPOSE } from '../../platform.mjs';
import { RAW_BYTE_STREAMS } from '../../values/raw-byte-streams.mjs';

const HOST_MADE = Symbol('response.host-made');

export class Response {
  #status = 200;
  #headers;

  /** Not for guests (they call `new`): the host's responses (Response.received). */
  constructor(token, headers, body) {
    if (token !== HOST_MADE) throw new TypeError('wasi:http response objects are made by Response.new or Response.received');
    this.#headers = headers[FREEZE]();
    this.body = body;
  }

  /** `new`: the guest's response, and the future of its transmission. */
  static new(headers, contents, trailers) {
    const body = new Body(contents, trailers, { transmitted: true });
    return [new Response(HOST_MADE, headers, body), body.transmitted];
  }

  /** A response the host received: `contents` a ReadableStream or null, `trailers` a Promise. */
  static received({ status, headers, contents, trailers }) {
    const response = new Response(HOST_MADE, headers, new Body(contents ?? undefined, trailers));
    response.#status = status;
    return response;
  }

  getStatusCode() { return this.#status; }

  setStatusCode(status) {
    // As Wasmtime takes them (and fetch()'s Response can carry all but 1xx).
    if (status < 100 || status > 599) refuse(`not a valid HTTP status code: ${status}`);
    this.#status = status;
  }

  getHeaders() { return this.#headers; }

  static consumeBody(response, res) {
    return response.body.consume(res);
  }

  [DISPOSE]() {
    this.body.drop('response');
  }
}

// `new` takes the guest's contents as a reader without a ReadableStream around it: only our
// own code reads them (values/raw-byte-streams.mjs).
Response.new[RAW_BYTE_STREAMS] = true;
