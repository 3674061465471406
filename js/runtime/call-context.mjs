// What lifting and lowering need to know, in two parts as the spec has them:
// - LiftLowerOptions, made once per lifted or lowered function (or built-in): the
//   canonical options (memory, realloc, string encoding, post-return) resolved to live
//   core exports on first use, and the component instance;
// - CallContext (the spec's LiftLowerContext), made per call: those options plus what one
//   call's conversions carry: the engine's borrow scope, the borrowed objects handed to JS,
//   whether strings stay in guest form, the value being converted (for error messages) and
//   the lift budget. Nothing of a call is saved and restored around another call: a
//   nested call has a context of its own.
import { trap } from '../errors.mjs';
import { GuestMemory } from '../values/memory.mjs';

export class LiftLowerOptions {
  constructor(runtime, options, instance) {
    this.runtime = runtime;
    this.options = options;
    this.instance = instance;  // InstanceState
    this.stringEncoding = options.stringEncoding;
    this._mem = undefined;
    this._realloc = undefined;
    this._postReturn = undefined;
  }

  // Resolved on first use: options name core exports of instances that exist by the time
  // any call happens, but may not exist yet when the function is created.
  get mem() {
    if (this._mem === undefined) {
      const memory = this.options.memory ? this.runtime.resolveCore(this.options.memory) : null;
      this._mem = memory ? new GuestMemory(memory) : null;
    }
    if (this._mem === null) throw new Error('internal: this function has no memory option');
    return this._mem;
  }

  get realloc() {
    if (this._realloc === undefined) {
      this._realloc = this.options.realloc ? this.runtime.resolveCore(this.options.realloc) : null;
    }
    return this._realloc;
  }

  get postReturn() {
    if (this._postReturn === undefined) {
      this._postReturn = this.options.postReturn ? this.runtime.resolveCore(this.options.postReturn) : null;
    }
    return this._postReturn;
  }
}

export class CallContext {
  // keepGuestStrings: lift strings as GuestStrings and stream/future ends in guest form
  // (the value is bound for another guest).
  constructor(opts, keepGuestStrings = false) {
    this.opts = opts;
    this.runtime = opts.runtime;
    this.options = opts.options;
    this.instance = opts.instance;
    this.stringEncoding = opts.stringEncoding;
    this.keepGuestStrings = keepGuestStrings;
    this.rawByteStreams = false;  // stream<u8> arguments as HostBytes (values/stream-codec.mjs RAW_BYTE_STREAMS)
    this.path = '';            // the parameter being converted, for error messages
    this.call = -1;            // the engine's call scope (borrows/lends) while a call runs
    this.borrowed = [];        // borrowed resource objects handed to JS during this call
    // Bytes the current lift may still read out of guest memory for strings and lists
    // (the instantiate option maxLiftedBytes; startLift resets it). A guest may legally
    // point a thousand list entries at one large string; lifting copies it each time, and
    // past some size the JS engine dies of an out-of-memory no host can catch. Over the
    // limit, lifting traps instead.
    this.liftLeft = opts.runtime.maxLiftedBytes;
  }

  get mem() {
    return this.opts.mem;
  }

  get realloc() {
    return this.opts.realloc;
  }

  get postReturn() {
    return this.opts.postReturn;
  }

  /** A new value (arguments, a result, a stream's elements) starts to be lifted. */
  startLift() {
    this.liftLeft = this.runtime.maxLiftedBytes;
  }

  /** Counts `bytes` more lifted from guest memory; traps past the limit. */
  chargeLift(bytes) {
    if ((this.liftLeft -= bytes) < 0) {
      trap(`lifting ${this.path || 'a value'} would copy more than ${this.runtime.maxLiftedBytes} bytes out of guest memory (the instance's maxLiftedBytes): a guest that points many list elements at one large string or list amplifies its memory`);
    }
  }
}
