/* eslint-disable @typescript-eslint/no-unused-expressions -- the file is one expression, evaluated inside the sandbox */
// Evaluated INSIDE the QuickJS sandbox (never imported by Node): `(P, O) => specs`, O from layer-options.js.
// One spec per supported tf.layers factory: which options it takes, its Keras-style defaults, and
// its output-shape rule (TF.js semantics, channels-last, shapes include the null batch axis).
// Every option value is read exactly once (getters may lie on a second read) and validated.
(function (P, O) {
  'use strict';
  const { ACTIVATIONS, short, describe, shapeStr, joinList, readOptions, invalid, posInt, num, pair, bool, padding, activation, channelsLast, needRank, spatial } = O;
  function conv(kind) {
    const keys = ['kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'dataFormat'];
    if (kind !== 'depthwiseConv2d') keys.unshift('filters');
    if (kind !== 'conv2d') keys.push('depthMultiplier');
    return {
      op: kind, keys, arity: 1,
      build(ctx, w, o) {
        channelsLast(ctx, w, o.dataFormat);
        const c = P.ObjectCreate(null);
        if (kind !== 'depthwiseConv2d') c.filters = posInt(ctx, w, 'filters', o.filters);
        if (kind !== 'conv2d') c.depthMultiplier = posInt(ctx, w, 'depthMultiplier', o.depthMultiplier, 1);
        c.kernelSize = pair(ctx, w, 'kernelSize', o.kernelSize);
        c.strides = pair(ctx, w, 'strides', o.strides, [1, 1]);
        c.padding = padding(ctx, w, o.padding);
        c.dilationRate = pair(ctx, w, 'dilationRate', o.dilationRate, [1, 1]);
        c.activation = activation(ctx, w, o.activation);
        c.useBias = bool(ctx, w, 'useBias', o.useBias, true);
        return c;
      },
      infer(ctx, w, shapes, c) {
        const hw = spatial(ctx, w, shapes[0], c.kernelSize, c.strides, c.padding, c.dilationRate);
        const ch = kind === 'depthwiseConv2d' ? shapes[0][3] * c.depthMultiplier : c.filters;
        return [null, hw[0], hw[1], ch];
      },
    };
  }
  function pool(kind) {
    return {
      op: kind, keys: ['poolSize', 'strides', 'padding', 'dataFormat'], arity: 1,
      build(ctx, w, o) {
        channelsLast(ctx, w, o.dataFormat);
        const c = P.ObjectCreate(null);
        c.poolSize = pair(ctx, w, 'poolSize', o.poolSize, [2, 2]);
        // TF.js: strides default to the pool size.
        c.strides = o.strides === undefined || o.strides === null ? c.poolSize : pair(ctx, w, 'strides', o.strides);
        c.padding = padding(ctx, w, o.padding);
        return c;
      },
      infer(ctx, w, shapes, c) {
        const hw = spatial(ctx, w, shapes[0], c.poolSize, c.strides, c.padding, [1, 1]);
        return [null, hw[0], hw[1], shapes[0][3]];
      },
    };
  }
  function globalPool(kind) {
    return {
      op: kind, keys: ['dataFormat'], arity: 1,
      build(ctx, w, o) {
        channelsLast(ctx, w, o.dataFormat);
        return P.ObjectCreate(null);
      },
      infer(ctx, w, shapes) {
        needRank(ctx, w, shapes[0], 4, '4D image [batch, height, width, channels]');
        return [null, shapes[0][3]];
      },
    };
  }
  // Arrays are never grown by assignment: assigning past an array's end would run a setter that
  // tampered code may have put on Array.prototype. Short ones (shapes) are literals; longer ones
  // (the inputs of a merge of 6 or more tensors) get their elements defined, which runs no setter.
  function build(n, f) {
    switch (n) {
      case 0: return [];
      case 1: return [f(0)];
      case 2: return [f(0), f(1)];
      case 3: return [f(0), f(1), f(2)];
      case 4: return [f(0), f(1), f(2), f(3)];
      case 5: return [f(0), f(1), f(2), f(3), f(4)];
      default: {
        const a = [];
        for (let i = 0; i < n; i++) P.ObjectDefineProperty(a, i, { __proto__: null, value: f(i), writable: true, enumerable: true, configurable: true });
        return a;
      }
    }
  }
  function same(ctx, w, shapes) {
    return build(shapes[0].length, (i) => shapes[0][i]);
  }
  function activationLayer(op, fixed) {
    return {
      op: 'activation', keys: fixed === undefined ? ['activation'] : fixed.keys, arity: 1,
      build(ctx, w, o) {
        const c = P.ObjectCreate(null);
        c.activation = fixed === undefined ? activation(ctx, w, o.activation) : fixed.pick(ctx, w, o);
        return c;
      },
      infer: same,
    };
  }
  function merge(kind) {
    return {
      op: kind, keys: kind === 'concatenate' ? ['axis'] : [], arity: 'many',
      build(ctx, w, o) {
        const c = P.ObjectCreate(null);
        if (kind === 'concatenate') {
          const a = o.axis === undefined ? -1 : o.axis;
          if (typeof a !== 'number' || !P.NumberIsInteger(a)) invalid(ctx, w, 'axis', 'an integer (-1 for the channels)', a);
          c.axis = a;
        }
        return c;
      },
      infer(ctx, w, shapes, c) {
        const rank = shapes[0].length;
        for (let i = 1; i < shapes.length; i++) {
          if (shapes[i].length !== rank) ctx.fail('shape', w + ': inputs have different ranks (' + shapeStr(shapes[0]) + ' and ' + shapeStr(shapes[i]) + '); merge tensors of the same rank');
        }
        if (kind === 'concatenate') {
          const axis = c.axis < 0 ? rank + c.axis : c.axis;
          if (axis < 1 || axis >= rank) ctx.fail('shape', w + ': axis ' + c.axis + ' is out of range for inputs of shape ' + shapeStr(shapes[0]));
          return build(rank, (d) => {
            if (d === 0) return null;
            let size = 0;
            for (let i = 0; i < shapes.length; i++) {
              if (d === axis) size += shapes[i][d];
              else if (shapes[i][d] !== shapes[0][d]) ctx.fail('shape', w + ': inputs ' + shapeStr(shapes[0]) + ' and ' + shapeStr(shapes[i]) + ' differ on axis ' + d + ', only the concatenation axis ' + axis + ' may differ');
            }
            return d === axis ? size : shapes[0][d];
          });
        }
        return build(rank, (d) => {
          if (d === 0) return null;
          let size = 1;
          for (let i = 0; i < shapes.length; i++) {
            const s = shapes[i][d];
            if (s !== 1 && size !== 1 && s !== size) ctx.fail('shape', w + ': input shapes ' + shapeStr(shapes[0]) + ' and ' + shapeStr(shapes[i]) + ' do not match (sizes must be equal or 1 on each axis)');
            if (s !== 1) size = s;
          }
          return size;
        });
      },
    };
  }

  const S = P.ObjectCreate(null);
  S.conv2d = conv('conv2d');
  S.depthwiseConv2d = conv('depthwiseConv2d');
  S.separableConv2d = conv('separableConv2d');
  S.maxPooling2d = pool('maxPooling2d');
  S.averagePooling2d = pool('averagePooling2d');
  S.avgPool2d = S.averagePooling2d;
  S.avgPooling2d = S.averagePooling2d;
  S.globalAveragePooling2d = globalPool('globalAveragePooling2d');
  S.globalMaxPooling2d = globalPool('globalMaxPooling2d');
  S.batchNormalization = {
    op: 'batchNormalization', keys: ['axis', 'momentum', 'epsilon', 'center', 'scale'], arity: 1,
    build(ctx, w, o) {
      if (o.axis !== undefined && o.axis !== -1 && o.axis !== 3) ctx.fail('unsupported', w + ': only the channel axis (-1) is supported, got axis ' + describe(o.axis));
      if (bool(ctx, w, 'center', o.center, true) !== true || bool(ctx, w, 'scale', o.scale, true) !== true) ctx.fail('unsupported', w + ': center and scale must stay true');
      const c = P.ObjectCreate(null);
      c.momentum = num(ctx, w, 'momentum', o.momentum, 0.99, 0, 1);
      c.epsilon = num(ctx, w, 'epsilon', o.epsilon, 0.001, 1e-12, 1);
      return c;
    },
    infer: same,
  };
  S.dense = {
    op: 'dense', keys: ['units', 'activation', 'useBias'], arity: 1,
    build(ctx, w, o) {
      const c = P.ObjectCreate(null);
      c.units = posInt(ctx, w, 'units', o.units);
      c.activation = activation(ctx, w, o.activation);
      c.useBias = bool(ctx, w, 'useBias', o.useBias, true);
      return c;
    },
    infer(ctx, w, shapes, c) {
      const last = shapes[0].length - 1;
      return build(shapes[0].length, (i) => (i === last ? c.units : shapes[0][i]));
    },
  };
  S.dropout = {
    op: 'dropout', keys: ['rate', 'seed'], arity: 1,
    build(ctx, w, o) {
      const c = P.ObjectCreate(null);
      if (o.rate === undefined) invalid(ctx, w, 'rate', 'a number in [0, 1] (e.g. {rate: 0.25})', undefined);
      c.rate = num(ctx, w, 'rate', o.rate, 0, 0, 1);
      return c;
    },
    infer: same,
  };
  S.flatten = {
    op: 'flatten', keys: ['dataFormat'], arity: 1,
    build(ctx, w, o) {
      channelsLast(ctx, w, o.dataFormat);
      return P.ObjectCreate(null);
    },
    infer(ctx, w, shapes) {
      let n = 1;
      for (let i = 1; i < shapes[0].length; i++) n *= shapes[0][i];
      return [null, n];
    },
  };
  S.zeroPadding2d = {
    op: 'zeroPadding2d', keys: ['padding', 'dataFormat'], arity: 1,
    build(ctx, w, o) {
      channelsLast(ctx, w, o.dataFormat);
      const v = o.padding;
      const c = P.ObjectCreate(null);
      const nn = (x, name) => {
        if (typeof x !== 'number' || !P.NumberIsInteger(x) || x < 0 || x > 1e4) invalid(ctx, w, name, 'a non-negative integer (0 to 10000)', x);
        return x;
      };
      if (v === undefined) c.padding = [[1, 1], [1, 1]];
      else if (typeof v === 'number') c.padding = [[nn(v, 'padding'), v], [v, v]];
      else if (P.ArrayIsArray(v) && v.length === 2) {
        const a = v[0];
        const b = v[1];
        if (typeof a === 'number' && typeof b === 'number') c.padding = [[nn(a, 'padding[0]'), a], [nn(b, 'padding[1]'), b]];
        else if (P.ArrayIsArray(a) && P.ArrayIsArray(b) && a.length === 2 && b.length === 2) {
          c.padding = [[nn(a[0], 'padding[0][0]'), nn(a[1], 'padding[0][1]')], [nn(b[0], 'padding[1][0]'), nn(b[1], 'padding[1][1]')]];
        } else invalid(ctx, w, 'padding', 'n, [rows, cols] or [[top, bottom], [left, right]]', v);
      } else invalid(ctx, w, 'padding', 'n, [rows, cols] or [[top, bottom], [left, right]]', v);
      return c;
    },
    infer(ctx, w, shapes, c) {
      const s = shapes[0];
      needRank(ctx, w, s, 4, '4D image [batch, height, width, channels]');
      return [null, s[1] + c.padding[0][0] + c.padding[0][1], s[2] + c.padding[1][0] + c.padding[1][1], s[3]];
    },
  };
  S.activation = activationLayer();
  S.reLU = activationLayer('reLU', {
    keys: ['maxValue'],
    pick(ctx, w, o) {
      if (o.maxValue === undefined || o.maxValue === null) return 'relu';
      if (o.maxValue === 6) return 'relu6';
      if (typeof o.maxValue !== 'number') return invalid(ctx, w, 'maxValue', '6 (relu6) or absent', o.maxValue);
      return ctx.fail('unsupported', w + ': maxValue must be 6 (relu6) or absent, got ' + describe(o.maxValue));
    },
  });
  S.elu = activationLayer('elu', {
    keys: ['alpha'],
    pick(ctx, w, o) {
      if (o.alpha !== undefined && typeof o.alpha !== 'number') invalid(ctx, w, 'alpha', '1 or absent', o.alpha);
      if (o.alpha !== undefined && o.alpha !== 1) ctx.fail('unsupported', w + ': only alpha 1 is supported');
      return 'elu';
    },
  });
  S.softmax = activationLayer('softmax', {
    keys: ['axis'],
    pick(ctx, w, o) {
      if (o.axis !== undefined && o.axis !== -1) ctx.fail('unsupported', w + ': only axis -1 is supported');
      return 'softmax';
    },
  });
  S.add = merge('add');
  S.multiply = merge('multiply');
  S.concatenate = merge('concatenate');

  const names = P.ObjectKeys(S);
  return P.ObjectFreeze({ specs: S, names, readOptions, shapeStr, describe, short, joinList, build, ACTIVATIONS });
})
