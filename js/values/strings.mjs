// Strings between JS and guest memory, in the three canonical encodings.
//
// Guest -> JS follows the spec's load_string exactly (length limit, alignment, bounds,
// decoding errors all trap). JS -> guest: a JS string is a host value, and the host may
// present it to the ABI in whichever source encoding it likes; we pick the one that makes
// the spec's store_string a single exact allocation (UTF-8 bytes for a utf8 guest, UTF-16
// for utf16, Latin-1 or UTF-16 for latin1+utf16). Guest-to-guest transcoding, where the
// source encoding is the other guest's, is the engine's (abi/values/strings).
import { trap } from '../errors.mjs';
import { callRealloc } from './memory.mjs';
import { GuestString, storeGuestString } from './guest-strings.mjs';

const MAX_STRING_BYTE_LENGTH = 2 ** 28 - 1;
const UTF16_TAG = 2 ** 31;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16Decoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

// Latin-1 bytes to a string. (TextDecoder('latin1') is windows-1252, not Latin-1.)
function decodeLatin1(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return out;
}

export function loadString(ctx, ptr, taggedCodeUnits) {
  ptr >>>= 0;
  taggedCodeUnits >>>= 0;
  let byteLength;
  let alignment;
  let encoding = ctx.stringEncoding;
  if (encoding === 'utf8') {
    alignment = 1;
    byteLength = taggedCodeUnits;
  } else if (encoding === 'utf16') {
    alignment = 2;
    byteLength = 2 * taggedCodeUnits;
  } else if (taggedCodeUnits & UTF16_TAG) {
    alignment = 2;
    byteLength = 2 * (taggedCodeUnits ^ UTF16_TAG);
    encoding = 'utf16';
  } else {
    alignment = 2;
    byteLength = taggedCodeUnits;
    encoding = 'latin1';
  }
  if (byteLength > MAX_STRING_BYTE_LENGTH) trap('string pointer/length out of bounds of memory: string too long (more than 2^28-1 bytes)');
  ctx.chargeLift(byteLength);
  if (ptr % alignment !== 0) trap(`unaligned pointer: string at ${ptr} is not aligned to ${alignment}`);
  const mem = ctx.mem.refresh();
  if (ptr + byteLength > mem.bytes.length) trap(`string content out-of-bounds: string pointer/length out of bounds of memory (${ptr} + ${byteLength} bytes)`);
  const bytes = mem.bytes.subarray(ptr, ptr + byteLength);
  let text;
  try {
    if (encoding === 'utf8') text = utf8Decoder.decode(bytes);
    else if (encoding === 'utf16') text = utf16Decoder.decode(bytes);
  } catch {
    trap(encoding === 'utf8' ? 'invalid utf-8 string' : 'invalid utf-16 string: unpaired surrogate');
  }
  // Bound for another guest: keep the source's bytes and encoding (guest-strings.mjs).
  if (ctx.keepGuestStrings) return new GuestString(bytes.slice(), ctx.stringEncoding, taggedCodeUnits);
  return text ?? decodeLatin1(bytes);
}

// JS string -> utf8 guest. The spec lets the host choose its strings' source encoding; a
// host whose strings are UTF-8 hands store_string the exact byte length, and the guest
// sees one realloc of exactly that size. We do the same (decisions.md, 3): the WASI
// preview1 adapter inside most C and Rust WASI components accepts nothing else (it refuses
// a realloc that grows or shrinks). ASCII text, the common case, is recognised by a regex
// (native speed) and needs no counting; TextEncoder.encodeInto writes straight into guest
// memory, so the text is copied once.
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The length of `s` in UTF-8 (strings reach here checked: no lone surrogates). */
export function utf8Length(s) {
  const units = s.length;
  if (ASCII_ONLY.test(s)) return units;
  let bytes = 0;
  for (let i = 0; i < units; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < units && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;  // (a lone surrogate would be U+FFFD, 3 bytes, as TextEncoder writes it)
  }
  return bytes;
}

function storeUtf8(ctx, s) {
  if (s.length > MAX_STRING_BYTE_LENGTH) trap('string too long to lower');
  const length = utf8Length(s);
  if (length > MAX_STRING_BYTE_LENGTH) trap('string too long to lower');
  const ptr = callRealloc(ctx, 0, 0, 1, length, 'string');
  utf8Encoder.encodeInto(s, ctx.mem.refresh().bytes.subarray(ptr, ptr + length));
  return [ptr, length];
}

/** Lowers a (well-formed) JS string or a GuestString; returns [ptr, taggedCodeUnits]. */
export function storeString(ctx, s) {
  if (s instanceof GuestString) return storeGuestString(ctx, s);
  const encoding = ctx.stringEncoding;
  if (encoding === 'utf8') return storeUtf8(ctx, s);
  const n = s.length;
  if (encoding === 'latin1+utf16') {
    let latin1 = true;
    for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0xff) { latin1 = false; break; }
    if (latin1) {
      if (n > MAX_STRING_BYTE_LENGTH) trap('string too long to lower');
      const ptr = callRealloc(ctx, 0, 0, 2, n, 'string');
      const bytes = ctx.mem.refresh().bytes;
      for (let i = 0; i < n; i++) bytes[ptr + i] = s.charCodeAt(i);
      return [ptr, n];
    }
  }
  if (2 * n > MAX_STRING_BYTE_LENGTH) trap('string too long to lower');
  const ptr = callRealloc(ctx, 0, 0, 2, 2 * n, 'string');
  const view = ctx.mem.refresh().view;
  for (let i = 0; i < n; i++) view.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
  return [ptr, encoding === 'utf16' ? n : (n | UTF16_TAG) >>> 0];
}
