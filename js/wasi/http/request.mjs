// wasi:http/types `request` and `request-options`.
//
// A request is built by the guest (`new`, to send with client.send or handler.handle) or by
// the host (an incoming request that serve() hands to the guest's handler). Its headers
// are immutable once it holds them; method, scheme, authority and path-with-query stay
// settable, each checked as a URI component is.
import { Body } from './body.mjs';
import { FREEZE, isToken } from './fields.mjs';
import { fail, refuse } from './http-error.mjs';
import { DISPOSE } from '../../platform.mjs';
import { RAW_BYTE_STREAMS } from '../../values/raw-byte-streams.mjs';

// The checks are those of the `http` crate (1.3), which Wasmtime's setters use, so that a
// guest gets the same answers here as there.
// A scheme: up to 64 of these (a leading letter is not required; `:` never is allowed).
const SCHEME = /^[A-Za-z0-9+\-.~]{1,64}$/;
// userinfo@, then a host (a name, an IPv4 address or a bracketed IPv6 one), then `:port`,
// where the port must be a u16 when there is a colon.
const AUTHORITY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=%:]*@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::([0-9]*))?$/;
// A path (no controls, space, `<`, `>`, backquote) and a query (no controls, space, `"`,
// `<`, `>`); what follows a `#` is a fragment, which the request does not carry.
const PATH_WITH_QUERY = /^[^\x00-\x20<>`?\x7f]*(?:\?[^\x00-\x20"<>\x7f]*)?$/;

export const isAuthority = (s) => {
  const m = AUTHORITY.exec(s);
  return m !== null && (m[2] === undefined || (m[2] !== '' && Number(m[2]) <= 65535));
};

/** A `method` value as the HTTP method token fetch() takes. */
export const methodName = (method) => (method.tag === 'other' ? method.val : method.tag.toUpperCase());

/** A method token as a `method` value. */
export function methodValue(name) {
  const lower = name.toLowerCase();
  return ['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'].includes(lower) && name === name.toUpperCase()
    ? { tag: lower }
    : { tag: 'other', val: name };
}

/** A `scheme` value as a URL scheme (no colon). */
export const schemeName = (scheme) => (scheme.tag === 'other' ? scheme.val : scheme.tag.toLowerCase());

/** A URL scheme (no colon) as a `scheme` value. */
export function schemeValue(name) {
  const lower = name.toLowerCase();
  return lower === 'http' ? { tag: 'HTTP' } : lower === 'https' ? { tag: 'HTTPS' } : { tag: 'other', val: name };
}

const FROZEN = Symbol('request-options.frozen');

export class RequestOptions {
  #connect;
  #firstByte;
  #betweenBytes;
  [FROZEN] = false;

  constructor() {}

  getConnectTimeout() { return this.#connect; }
  setConnectTimeout(duration) { this.#mutable(); this.#connect = duration; }
  getFirstByteTimeout() { return this.#firstByte; }
  setFirstByteTimeout(duration) { this.#mutable(); this.#firstByte = duration; }
  getBetweenBytesTimeout() { return this.#betweenBytes; }
  setBetweenBytesTimeout(duration) { this.#mutable(); this.#betweenBytes = duration; }

  clone() {
    const copy = new RequestOptions();
    copy.#connect = this.#connect;
    copy.#firstByte = this.#firstByte;
    copy.#betweenBytes = this.#betweenBytes;
    return copy;
  }

  #mutable() {
    if (this[FROZEN]) fail('immutable');
  }
}

const HOST_MADE = Symbol('request.host-made');

export class Request {
  #method = { tag: 'get' };
  #pathWithQuery;
  #scheme;
  #authority;
  #headers;
  #options;

  /** Not for guests (they call `new`): the host's incoming requests (Request.incoming). */
  constructor(token, headers, body, options) {
    if (token !== HOST_MADE) throw new TypeError('wasi:http request objects are made by Request.new or Request.incoming');
    this.#headers = headers[FREEZE]();
    if (options) options[FROZEN] = true;
    this.#options = options;
    this.body = body;
  }

  /** `new`: the guest's request, and the future of its transmission. */
  static new(headers, contents, trailers, options) {
    const body = new Body(contents, trailers, { transmitted: true });
    return [new Request(HOST_MADE, headers, body, options), body.transmitted];
  }

  /**
   * A request the host received, for a guest's handler: `fields` immutable, `contents` a
   * ReadableStream or null, `trailers` a Promise of the trailers result.
   */
  static incoming({ method, scheme, authority, pathWithQuery, headers, contents, trailers }) {
    const request = new Request(HOST_MADE, headers, new Body(contents ?? undefined, trailers));
    request.#method = method;
    request.#scheme = scheme;
    request.#authority = authority;
    request.#pathWithQuery = pathWithQuery;
    return request;
  }

  getMethod() { return this.#method; }

  setMethod(method) {
    if (method.tag === 'other' && !isToken(method.val)) refuse(`not a valid HTTP method: ${JSON.stringify(method.val)}`);
    this.#method = method;
  }

  getPathWithQuery() { return this.#pathWithQuery; }

  setPathWithQuery(pathWithQuery) {
    if (pathWithQuery !== undefined) {
      const hash = pathWithQuery.indexOf('#');
      if (hash !== -1) pathWithQuery = pathWithQuery.slice(0, hash);
      if (!PATH_WITH_QUERY.test(pathWithQuery)) refuse(`not a valid path and query: ${JSON.stringify(pathWithQuery)}`);
    }
    this.#pathWithQuery = pathWithQuery;
  }

  getScheme() { return this.#scheme; }

  setScheme(scheme) {
    if (scheme?.tag === 'other' && !SCHEME.test(scheme.val)) refuse(`not a valid URI scheme: ${JSON.stringify(scheme.val)}`);
    this.#scheme = scheme;
  }

  getAuthority() { return this.#authority; }

  setAuthority(authority) {
    if (authority !== undefined && !isAuthority(authority)) refuse(`not a valid URI authority: ${JSON.stringify(authority)}`);
    this.#authority = authority;
  }

  getOptions() { return this.#options; }

  getHeaders() { return this.#headers; }

  static consumeBody(request, res) {
    return request.body.consume(res);
  }

  [DISPOSE]() {
    this.body.drop('request');
  }
}

// `new` takes the guest's contents as a reader without a ReadableStream around it: only our
// own code reads them (values/raw-byte-streams.mjs).
Request.new[RAW_BYTE_STREAMS] = true;
