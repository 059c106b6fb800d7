/* eslint-disable @typescript-eslint/no-unused-expressions -- the file is one expression, evaluated inside the sandbox */
// Evaluated INSIDE the QuickJS sandbox (never imported by Node): `(P) => option readers`.
// The pieces every layer spec shares: reading a config object safely (each value once: getters may
// lie on a second read), Keras-style defaults and validation, and the spatial output-size rule.
(function (P) {
  'use strict';
  const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'swish', 'gelu', 'softmax', 'softplus', 'hardSigmoid', 'mish'];
  const isActivation = P.ObjectCreate(null);
  for (let i = 0; i < ACTIVATIONS.length; i++) isActivation[ACTIVATIONS[i]] = true;

  // Options that change nothing in the architecture: accepted so that ordinary TF.js code runs.
  const IGNORED = ['name', 'trainable', 'dtype', 'batchSize', 'kernelInitializer', 'biasInitializer', 'depthwiseInitializer',
    'pointwiseInitializer', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'];
  // Options that declare the model input; the stand-in checks them against the task's input shape.
  const INPUT_KEYS = ['inputShape', 'batchInputShape', 'inputDim'];

  function short(s) {
    return s.length > 120 ? P.StringSlice(s, 0, 120) + '...' : s;
  }
  function describe(v) {
    if (typeof v === 'string') return P.JSONStringify(short(v));
    if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return P.String(v);
    if (P.ArrayIsArray(v)) return 'an array';
    return 'a ' + typeof v;
  }
  function shapeStr(shape) {
    let s = '[';
    for (let i = 0; i < shape.length; i++) s += (i ? ', ' : '') + (shape[i] === null ? 'null' : P.String(shape[i]));
    return s + ']';
  }
  function joinList(list) {
    let s = '';
    for (let i = 0; i < list.length; i++) s += (i ? ', ' : '') + list[i];
    return s;
  }

  /** Copies the allowed options of `cfg` into a null-prototype record; an unknown option fails 'unsupported'. */
  function readOptions(ctx, where, cfg, allowed) {
    const out = P.ObjectCreate(null);
    if (cfg === undefined || cfg === null) return out;
    if (typeof cfg !== 'object' || P.ArrayIsArray(cfg)) ctx.fail('runtime', where + ': expects one config object like {...}, got ' + describe(cfg));
    const ok = P.ObjectCreate(null);
    for (let i = 0; i < allowed.length; i++) ok[allowed[i]] = 1;
    for (let i = 0; i < IGNORED.length; i++) ok[IGNORED[i]] = 2;
    for (let i = 0; i < INPUT_KEYS.length; i++) ok[INPUT_KEYS[i]] = 1;
    const keys = P.ObjectKeys(cfg);
    const n = keys.length;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (ok[k] === 1) out[k] = cfg[k];
      else if (ok[k] !== 2) {
        ctx.fail('unsupported', where + ': option ' + P.JSONStringify(short(P.String(k))) + ' is not supported; supported options: ' + joinList(allowed) +
          (allowed.length ? ', ' : '') + 'name (ignored), initializers (ignored)');
      }
    }
    return out;
  }

  /** Says what is wrong with a value of the wrong type, beyond its text: '32' reads like 32. */
  function badValue(v) {
    if (typeof v === 'string') return describe(v) + ' (a string; write the number without quotes)';
    if (v === undefined) return 'nothing (the option is required)';
    return describe(v);
  }
  /** A bad option value: class 'invalid-option', naming the layer call, the option, the value and what is accepted. */
  function invalid(ctx, where, name, accepted, v) {
    return ctx.fail('option', where + ': ' + name + ' must be ' + accepted + ', got ' + badValue(v));
  }
  function posInt(ctx, where, name, v, dflt) {
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'number' || !P.NumberIsInteger(v) || v < 1 || v > 1e6) invalid(ctx, where, name, 'a positive integer (1 to 1000000)', v);
    return v;
  }
  function num(ctx, where, name, v, dflt, lo, hi) {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !P.NumberIsFinite(v) || v < lo || v > hi) invalid(ctx, where, name, 'a number in [' + lo + ', ' + hi + ']', v);
    return v;
  }
  /** kernelSize/strides/poolSize style: a number n means [n, n]. */
  function pair(ctx, where, name, v, dflt) {
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v === 'number') {
      const n = posInt(ctx, where, name, v);
      return [n, n];
    }
    if (P.ArrayIsArray(v) && v.length === 2) return [posInt(ctx, where, name + '[0]', v[0]), posInt(ctx, where, name + '[1]', v[1])];
    return invalid(ctx, where, name, 'a positive integer or a pair [rows, cols] of them', v);
  }
  function bool(ctx, where, name, v, dflt) {
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') invalid(ctx, where, name, 'true or false', v);
    return v;
  }
  function padding(ctx, where, v) {
    if (v === undefined) return 'valid';
    if (v === 'same' || v === 'valid') return v;
    if (v === 'causal') return ctx.fail('unsupported', where + ": padding 'causal' is not supported; use 'same' or 'valid'");
    return invalid(ctx, where, 'padding', "'same' or 'valid'", v);
  }
  function activation(ctx, where, v) {
    if (v === undefined || v === null) return 'linear';
    if (typeof v === 'string' && isActivation[v] === true) return v;
    // A name we lack may be a real TF.js activation ('unsupported'); anything else is no name at all.
    if (typeof v !== 'string') return invalid(ctx, where, 'activation', 'an activation name (' + joinList(ACTIVATIONS) + ')', v);
    return ctx.fail('unsupported', where + ': activation ' + describe(v) + ' is not supported; supported activations: ' + joinList(ACTIVATIONS));
  }
  function channelsLast(ctx, where, v) {
    if (v !== undefined && v !== 'channelsLast') ctx.fail('unsupported', where + ": only dataFormat 'channelsLast' is supported, got " + describe(v));
  }

  function needRank(ctx, where, shape, rank, why) {
    if (shape.length !== rank) ctx.fail('shape', where + ' needs a ' + why + ' input but gets shape ' + shapeStr(shape));
  }
  function outLen(size, k, pad, s, d) {
    const dk = k + (k - 1) * (d - 1);
    const len = pad === 'same' ? size : size - dk + 1;
    return P.MathFloor((len + s - 1) / s);
  }
  function spatial(ctx, where, shape, k, s, pad, d) {
    needRank(ctx, where, shape, 4, '4D image [batch, height, width, channels]');
    const h = outLen(shape[1], k[0], pad, s[0], d[0]);
    const w = outLen(shape[2], k[1], pad, s[1], d[1]);
    if (h < 1 || w < 1) {
      ctx.fail('shape', where + ': a ' + k[0] + 'x' + k[1] + " window with padding '" + pad + "' does not fit the input " + shapeStr(shape) +
        " (output would be " + h + 'x' + w + "); use padding 'same' or fewer downsampling layers");
    }
    return [h, w];
  }
  return P.ObjectFreeze({ ACTIVATIONS, isActivation, IGNORED, INPUT_KEYS, short, describe, shapeStr, joinList, readOptions, invalid, posInt, num, pair, bool, padding, activation, channelsLast, needRank, outLen, spatial });
})
