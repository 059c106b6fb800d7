/* eslint-disable @typescript-eslint/no-unused-expressions -- the file is one expression, evaluated inside the sandbox */
// Evaluated INSIDE the QuickJS sandbox (never imported by Node): `(P, L, createStandIn) => run`.
// `run` is the only function the host calls: it evaluates the answer's code, calls its buildModel
// with the stand-in, and returns ONE JSON string (the report) built by a serializer that uses only
// captured built-ins, so tampering with JSON.stringify or prototypes cannot forge it.
(function (P, L, createStandIn) {
  'use strict';
  const STACK_POS = /<input>:(\d+):(\d+)/;
  const HOST_NAMES = /^'?(require|process|module|exports|fetch|XMLHttpRequest|WebSocket|Deno|Bun|global|window|self|importScripts|setTimeout|setInterval|console)'? is not defined$/;
  const SUFFIX = '\n;(typeof buildModel === "undefined" ? undefined : buildModel)';

  function ser(v) {
    if (typeof v === 'string') return P.JSONStringify(v);
    if (typeof v === 'number') return P.NumberIsFinite(v) ? P.String(v) : 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v === null || v === undefined) return 'null';
    let s;
    if (P.ArrayIsArray(v)) {
      s = '[';
      for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + ser(v[i]);
      return s + ']';
    }
    if (v.isList === true) {
      s = '[';
      for (let i = 0; i < v.n; i++) s += (i ? ',' : '') + ser(v.at[i]);
      return s + ']';
    }
    const keys = P.ObjectKeys(v);
    s = '{';
    for (let i = 0; i < keys.length; i++) s += (i ? ',' : '') + P.JSONStringify(keys[i]) + ':' + ser(v[keys[i]]);
    return s + '}';
  }
  function report(kind, message, call, line, column) {
    return { __proto__: null, kind, message, call, line, column };
  }
  /** Name, message and answer position of a thrown value; its getters run here, under the time limit. */
  function describeThrown(e, where) {
    let name = 'Error';
    let message = '';
    let stack = '';
    try {
      if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
        const n = e.name;
        const m = e.message;
        const s = e.stack;
        if (typeof n === 'string') name = L.short(n);
        if (typeof m === 'string') message = m;
        if (typeof s === 'string') stack = s;
      } else message = 'threw ' + L.describe(e) + ' instead of an Error';
    } catch {
      message = 'threw an error whose properties cannot be read';
    }
    if (message.length > 1000) message = P.StringSlice(message, 0, 1000) + '...';
    const pos = P.RegExpExec(STACK_POS, stack);
    const line = pos === null ? null : +pos[1];
    const column = pos === null ? null : +pos[2];
    if (name === 'InternalError' && message === 'out of memory') return report('memory', 'ran out of sandbox memory ' + where, null, line, column);
    // QuickJS's cap on one string's length: a string that doubles until it hits it is a memory bomb.
    if (name === 'InternalError' && message === 'string too long') return report('memory', 'built a string over the sandbox\'s length cap (memory bomb?) ' + where, null, line, column);
    if (name === 'InternalError' && message === 'stack overflow') return report('stack', 'stack overflow (unbounded recursion?) ' + where, null, line, column);
    let text = name + ': ' + message;
    if (P.RegExpExec(HOST_NAMES, message) !== null) text += ' (the sandbox has no host access: no require, process, fetch, timers or console; use only the tf argument)';
    return report('runtime', text, null, line, column);
  }

  return function run(code, h, w, c, numClasses) {
    try {
      const st = createStandIn([h, w, c], numClasses);
      P.ObjectDefineProperty(P.globalThis, 'tf', { __proto__: null, value: st.tf, writable: true, configurable: true, enumerable: false });
      let result;
      let fn;
      try {
        fn = P.indirectEval(code + SUFFIX);
      } catch (e) {
        result = describeThrown(e, 'while evaluating the top-level code');
      }
      if (result === undefined && typeof fn !== 'function') {
        result = report('missing', fn === undefined ? 'no buildModel function is defined; define function buildModel(tf, inputShape, numClasses) { ... return model; }'
          : 'buildModel is ' + L.describe(fn) + ', not a function', null, null, null);
      }
      if (result === undefined) {
        let returned;
        try {
          returned = fn(st.tf, [h, w, c], numClasses);
          result = st.finish(returned);
        } catch (e) {
          result = P.WeakMapHas(st.ours, e) ? null : describeThrown(e, 'in buildModel');
        }
      }
      // The first stand-in failure wins even if the code caught it and went on.
      if (st.state.failure !== null) {
        const f = st.state.failure;
        result = report(f.kind, f.message, f.call, null, null);
      } else if (result === null) result = report('runtime', 'the stand-in failed without a record', null, null, null);
      if (result.call === null && result.kind === 'runtime' && st.state.lastCall !== null) result.call = st.state.lastCall;
      if (result.kind === 'ok') return '{"ok":true,"architecture":{"format":"nasfleet.arch/v1","nodes":' + ser(result.nodes) + ',"output":' + ser(result.output) + '}}';
      return '{"ok":false,"kind":' + ser(result.kind) + ',"message":' + ser(result.message) + ',"call":' + ser(result.call) +
        ',"line":' + ser(result.line) + ',"column":' + ser(result.column) + '}';
    } catch {
      // Reached when reporting itself fails, e.g. memory is exhausted: a literal needs no allocation.
      return '{"ok":false,"kind":"memory","message":"the sandbox could not build its report (out of memory?)","call":null,"line":null,"column":null}';
    }
  };
})
