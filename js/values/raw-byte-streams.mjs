// The mark of a host function of cmbridge's own (wasi:http's request.new and
// response.new) whose stream<u8> arguments arrive as HostBytes (stream-codec.mjs), a reader
// without a ReadableStream around it. Those functions only hand the stream on to code of
// ours that reads it (serve's response writer, fetch's body, a guest's consume-body); a
// ReadableStream per message was a fifth of what a served request allocated (Node 20
// makes each one transferable). A module of its own: the linker reads the mark, and must
// not import the codecs for it.
export const RAW_BYTE_STREAMS = Symbol('cmbridge.rawByteStreams');
