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

// JS string -> utf8 guest, as the spec stores a UTF-16 source (store_utf16_to_utf8):
// allocate one byte per code unit, which is exact for ASCII; if the text does not fit,
// grow to the worst case (3 bytes per code unit) and finish, then shrink to the exact size.
// TextEncoder.encodeInto writes straight into guest memory, so ASCII text is copied once.
function storeUtf8(ctx, s) {
  const units = s.length;
  if (units > MAX_STRING_BYTE_LENGTH) trap('string too long to lower');
  let ptr = callRealloc(ctx, 0, 0, 1, units, 'string');
  let { read, written } = utf8Encoder.encodeInto(s, ctx.mem.refresh().bytes.subarray(ptr, ptr + units));
  if (read === units) return [ptr, written];
  const worst = 3 * units;
  if (worst > MAX_STRING_BYTE_LENGTH) trap('string too long to lower');
  ptr = callRealloc(ctx, ptr, units, 1, worst, 'string');
  const rest = utf8Encoder.encodeInto(s.slice(read), ctx.mem.refresh().bytes.subarray(ptr + written, ptr + worst));
  written += rest.written;
  if (written < worst) ptr = callRealloc(ctx, ptr, worst, 1, written, 'string');
  return [ptr, written];
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
