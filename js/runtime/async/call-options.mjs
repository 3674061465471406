// The options a host may pass to an async export after its arguments:
//   await instance.exports.fetchAll(urls, { signal: controller.signal });
// Recognised only as one argument more than the function takes, and only as a plain
// object. Other extra arguments are ignored (as by every export, Signature.checkArgs), but
// a plain object there with a key that is no option is a TypeError: a misspelt `signal`
// must not silently leave the call uncancellable.
const OPTION_KEYS = new Set(['signal']);

/** Removes the options argument from `args` (in place) and returns its signal, if any. */
export function splitCallSignal(fn, args) {
  if (args.length !== fn.sig.params.length + 1) return undefined;
  const last = args[args.length - 1];
  if (last === null || typeof last !== 'object' || Object.getPrototypeOf(last) !== Object.prototype) return undefined;
  const unknown = Object.keys(last).find((k) => !OPTION_KEYS.has(k));
  if (unknown !== undefined) throw new TypeError(`unknown call option \`${unknown}\` (the options after the arguments take: ${[...OPTION_KEYS].join(', ')})`);
  const { signal } = last;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError('the call option `signal` must be an AbortSignal');
  }
  args.pop();
  return signal;
}
