// What a failed fetch() (or a failed body read) means as a wasi:http `error-code`.
//
// fetch() rejects with a TypeError whose `cause` says why in Node, Deno and Bun (a system
// error code such as ECONNREFUSED, or one of undici's UND_ERR_*), and says nothing in a
// page (a network error is opaque there, by design): that becomes `internal-error` with
// the message. Our own timeouts carry CMBRIDGE_* codes (client.mjs, body.mjs).
import { internalError } from './http-error.mjs';

// As Wasmtime reports a name that does not resolve.
const DNS_FAILURE = { rcode: 'address not available', infoCode: undefined };

const BY_CODE = {
  ENOTFOUND: { tag: 'DNS-error', val: DNS_FAILURE },
  EAI_AGAIN: { tag: 'DNS-error', val: DNS_FAILURE },
  EAI_NONAME: { tag: 'DNS-error', val: DNS_FAILURE },
  EAI_FAIL: { tag: 'DNS-error', val: DNS_FAILURE },
  ECONNREFUSED: { tag: 'connection-refused' },
  ECONNRESET: { tag: 'connection-terminated' },
  EPIPE: { tag: 'connection-terminated' },
  UND_ERR_SOCKET: { tag: 'connection-terminated' },
  UND_ERR_CLOSED: { tag: 'connection-terminated' },
  // Wasmtime answers every failure to connect but a timeout so.
  EHOSTUNREACH: { tag: 'connection-refused' },
  ENETUNREACH: { tag: 'connection-refused' },
  EADDRNOTAVAIL: { tag: 'connection-refused' },
  ETIMEDOUT: { tag: 'connection-timeout' },
  UND_ERR_CONNECT_TIMEOUT: { tag: 'connection-timeout' },
  UND_ERR_HEADERS_TIMEOUT: { tag: 'connection-read-timeout' },
  UND_ERR_BODY_TIMEOUT: { tag: 'connection-read-timeout' },
  UND_ERR_HEADERS_OVERFLOW: { tag: 'HTTP-response-header-section-size' },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { tag: 'HTTP-response-incomplete' },
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: { tag: 'HTTP-request-body-size' },
  HPE_INVALID_CONSTANT: { tag: 'HTTP-protocol-error' },
  HPE_INVALID_VERSION: { tag: 'HTTP-protocol-error' },
  HPE_INVALID_STATUS: { tag: 'HTTP-protocol-error' },
  CMBRIDGE_CONNECT_TIMEOUT: { tag: 'connection-timeout' },
  CMBRIDGE_FIRST_BYTE_TIMEOUT: { tag: 'connection-read-timeout' },
  CMBRIDGE_BETWEEN_BYTES_TIMEOUT: { tag: 'connection-read-timeout' },
  EPROTO: { tag: 'TLS-protocol-error' },
  ERR_SSL_WRONG_VERSION_NUMBER: { tag: 'TLS-protocol-error' },
  CERT_HAS_EXPIRED: { tag: 'TLS-certificate-error' },
  DEPTH_ZERO_SELF_SIGNED_CERT: { tag: 'TLS-certificate-error' },
  SELF_SIGNED_CERT_IN_CHAIN: { tag: 'TLS-certificate-error' },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { tag: 'TLS-certificate-error' },
  ERR_TLS_CERT_ALTNAME_INVALID: { tag: 'TLS-certificate-error' },
};

/** The `error-code` for an error thrown by fetch() or by reading a body. */
export function errorCodeOf(error) {
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    if (e.payload?.tag !== undefined) return e.payload;  // already one (HttpError, a body's size error)
    const known = BY_CODE[e.code];
    if (known) {
      // UND_ERR_REQ_CONTENT_LENGTH_MISMATCH and friends carry an option<u64> or a payload.
      if (known.tag === 'HTTP-request-body-size' || known.tag === 'HTTP-response-header-section-size') return { tag: known.tag, val: undefined };
      return known;
    }
  }
  const message = error?.cause?.message ?? error?.message ?? String(error);
  // fetch() refuses ports that other protocols use (the Fetch standard's "bad port" list).
  if (message === 'bad port') return { tag: 'HTTP-request-denied' };
  return internalError(message);
}
