/* eslint-disable @typescript-eslint/no-unused-expressions -- the file is one expression, evaluated inside the sandbox */
// Evaluated INSIDE the QuickJS sandbox (never imported by Node): `(P, L) => createStandIn`.
// The recording tf stand-in: tf.sequential / tf.model / tf.input / tf.layers.* build a private graph;
// the answer's code only ever holds frozen handles (models, layers, symbolic tensors) that map to it
// through WeakMaps, so nothing it does to those handles or to prototypes can change what is recorded.
// Lists are null-prototype records, never arrays, so Array.prototype setters cannot intercept writes.
(function (P, L) {
  'use strict';
  function list() {
    return { __proto__: null, isList: true, n: 0, at: P.ObjectCreate(null) };
  }
  function put(l, v) {
    l.at[l.n] = v;
    l.n += 1;
  }
  // The architecture format's cap on nodes (MAX_NODES of @nasfleet/arch; a test checks they agree):
  // the input plus at most MAX_NODES - 1 layers. Checked as nodes are made, so that a loop adding
  // 10,000 layers fails at once, naming the cap, instead of running into the time limit.
  const MAX_NODES = 512;

  return function createStandIn(inputShape, numClasses) {
    const state = { __proto__: null, failure: null, calls: 0, lastCall: null, nodes: list() };
    const tensorOf = new P.WeakMap();
    const layerOf = new P.WeakMap();
    const modelOf = new P.WeakMap();
    const ours = new P.WeakMap();
    const taskShape = [null, inputShape[0], inputShape[1], inputShape[2]];

    /** Records the first stand-in failure (sticky: swallowing the throw does not hide it) and throws it. */
    function fail(kind, message) {
      if (message.length > 1500) message = P.StringSlice(message, 0, 1500) + '...';
      if (state.failure === null) state.failure = { __proto__: null, kind, message, call: state.lastCall };
      const e = new P.Error(message);
      P.WeakMapSet(ours, e, true);
      throw e;
    }
    const ctx = { __proto__: null, fail };

    const handleOfNode = P.ObjectCreate(null);
    function overCap(where) {
      fail('budget', where + ': the model would have more than ' + (MAX_NODES - 1) + ' layers (the cap is ' + MAX_NODES +
        ' nodes, the input included); use fewer, wider layers or fewer loop iterations');
    }
    function newNode(op, config, inputs, shape, label) {
      if (state.nodes.n >= MAX_NODES) overCap(label);
      const node = { __proto__: null, seq: state.nodes.n, op, config, inputs, shape, label };
      put(state.nodes, node);
      const t = P.ObjectFreeze({
        get shape() {
          return L.build(node.shape.length, (i) => node.shape[i]);
        },
        rank: shape.length,
        dtype: 'float32',
        name: op + '_' + node.seq,
      });
      P.WeakMapSet(tensorOf, t, node);
      handleOfNode[node.seq] = t;
      return t;
    }
    function inputNode(declared, where) {
      if (declared !== null) {
        const ok = declared.length === 3 && declared[0] === inputShape[0] && declared[1] === inputShape[1] && declared[2] === inputShape[2];
        if (!ok) {
          fail('shape', where + ' declares the input shape ' + L.shapeStr(declared) + ' but the task input is ' + L.shapeStr(inputShape) +
            '; use the inputShape argument of buildModel');
        }
      }
      return newNode('input', { __proto__: null, shape: [inputShape[0], inputShape[1], inputShape[2]] }, list(), taskShape, 'tf.input');
    }
    function readShape(where, v, dropBatch) {
      if (!P.ArrayIsArray(v)) return fail('shape', where + ': the input shape must be an array like ' + L.shapeStr(inputShape) + ', got ' + L.describe(v));
      const n = v.length;
      if (n < 1 || n > 5) return fail('shape', where + ': the input shape has ' + n + ' axes; the task input is ' + L.shapeStr(inputShape));
      const first = dropBatch ? 1 : 0;
      return L.build(n - first, (i) => {
        const d = v[i + first];
        if (typeof d !== 'number' || !P.NumberIsInteger(d) || d < 1) fail('shape', where + ': input shape entries must be positive integers, got ' + L.describe(d));
        return d;
      });
    }

    function makeLayerFactory(name, spec) {
      return function layerFactory(cfg) {
        state.calls += 1;
        const where = 'tf.layers.' + name + ' (layer call #' + state.calls + ')';
        state.lastCall = where;
        if (state.calls >= MAX_NODES) overCap(where);
        const o = L.readOptions(ctx, where, cfg, spec.keys);
        let declared = null;
        if (o.inputShape !== undefined) declared = readShape(where, o.inputShape, false);
        else if (o.batchInputShape !== undefined) declared = readShape(where, o.batchInputShape, true);
        else if (o.inputDim !== undefined) declared = readShape(where, [o.inputDim], false);
        const rec = { __proto__: null, spec, config: spec.build(ctx, where, o), declared, used: false, where };
        const layer = P.ObjectFreeze({
          apply(inputs) {
            return applyLayer(rec, inputs);
          },
          getClassName() {
            return name;
          },
          name: name + '_' + state.calls,
        });
        P.WeakMapSet(layerOf, layer, rec);
        return layer;
      };
    }
    function nodeOf(where, t) {
      const node = t !== null && typeof t === 'object' ? P.WeakMapGet(tensorOf, t) : undefined;
      if (node === undefined) {
        fail('runtime', where + '.apply: expects a symbolic tensor (from tf.input() or another layer\'s apply()), got ' + L.describe(t) +
          (t !== null && typeof t === 'object' && P.WeakMapHas(modelOf, t) ? ' (a model: nested models are not supported)' : ''));
      }
      return node;
    }
    function applyLayer(rec, inputs) {
      state.lastCall = rec.where;
      if (rec.used) fail('unsupported', rec.where + ' is applied a second time: shared layers (weight sharing) are not supported; create a new layer for each use');
      rec.used = true;
      const ins = list();
      if (rec.spec.arity === 'many') {
        if (!P.ArrayIsArray(inputs) || inputs.length < 2) fail('runtime', rec.where + '.apply: a merge layer takes an array of at least 2 tensors, got ' + L.describe(inputs));
        const n = inputs.length;
        for (let i = 0; i < n; i++) put(ins, nodeOf(rec.where, inputs[i]));
      } else if (P.ArrayIsArray(inputs)) {
        if (inputs.length !== 1) fail('runtime', rec.where + '.apply: takes one tensor, got an array of ' + inputs.length);
        put(ins, nodeOf(rec.where, inputs[0]));
      } else put(ins, nodeOf(rec.where, inputs));
      const shapes = L.build(ins.n, (i) => ins.at[i].shape);
      const shape = rec.spec.infer(ctx, rec.where, shapes, rec.config);
      return newNode(rec.spec.op, rec.config, ins, shape, rec.where);
    }

    function newModel(rec) {
      const m = P.ObjectFreeze({
        add(layer) {
          return addToSequential(rec, layer);
        },
        apply() {
          fail('unsupported', 'model.apply: nested models are not supported; build one flat model');
        },
        compile() {}, // the trainer compiles; accepted so that complete TF.js snippets run
        summary() {},
        get outputShape() {
          return rec.output === null ? undefined : L.build(rec.output.shape.length, (i) => rec.output.shape[i]);
        },
      });
      P.WeakMapSet(modelOf, m, rec);
      return m;
    }
    function addToSequential(rec, layer) {
      const lr = layer !== null && typeof layer === 'object' ? P.WeakMapGet(layerOf, layer) : undefined;
      if (lr === undefined) fail('runtime', 'model.add: expects a layer from tf.layers.*, got ' + L.describe(layer));
      if (lr.spec.arity === 'many') fail('runtime', 'model.add: ' + lr.where + ' merges several tensors; use the functional API (tf.input, layer.apply, tf.model)');
      if (rec.output === null) rec.input = P.WeakMapGet(tensorOf, inputNode(lr.declared, lr.where));
      const t = applyLayer(lr, handleOfNode[(rec.output === null ? rec.input : rec.output).seq]);
      rec.output = P.WeakMapGet(tensorOf, t);
    }

    function sequential(cfg) {
      state.lastCall = 'tf.sequential';
      const o = L.readOptions(ctx, 'tf.sequential', cfg, ['layers']);
      const m = newModel({ __proto__: null, kind: 'sequential', input: null, output: null, });
      if (o.layers !== undefined) {
        if (!P.ArrayIsArray(o.layers)) fail('runtime', 'tf.sequential: layers must be an array of layers, got ' + L.describe(o.layers));
        const n = o.layers.length;
        for (let i = 0; i < n; i++) addToSequential(P.WeakMapGet(modelOf, m), o.layers[i]);
      }
      return m;
    }
    function input(cfg) {
      state.lastCall = 'tf.input';
      const o = L.readOptions(ctx, 'tf.input', cfg, ['shape', 'batchShape']);
      const declared = o.shape !== undefined ? readShape('tf.input', o.shape, false)
        : o.batchShape !== undefined ? readShape('tf.input', o.batchShape, true) : fail('runtime', 'tf.input: needs {shape: inputShape}');
      return inputNode(declared, 'tf.input');
    }
    function one(where, v, what) {
      const x = P.ArrayIsArray(v) ? (v.length === 1 ? v[0] : fail('unsupported', where + ': exactly one ' + what + ' is supported, got ' + v.length)) : v;
      const node = x !== null && typeof x === 'object' ? P.WeakMapGet(tensorOf, x) : undefined;
      if (node === undefined) fail('runtime', where + ': ' + what + ' must be a symbolic tensor, got ' + L.describe(x));
      return node;
    }
    function model(cfg) {
      state.lastCall = 'tf.model';
      const o = L.readOptions(ctx, 'tf.model', cfg, ['inputs', 'outputs']);
      const inNode = one('tf.model', o.inputs, 'input');
      if (inNode.op !== 'input') fail('runtime', 'tf.model: inputs must be the tensor returned by tf.input()');
      const outNode = one('tf.model', o.outputs, 'output');
      return newModel({ __proto__: null, kind: 'functional', input: inNode, output: outNode });
    }

    const notAvailable = (path, why) => function unsupported() {
      fail('unsupported', path + ' is not available in the sandbox: ' + why);
    };
    function namespace(known, path, why) {
      return new P.Proxy(P.ObjectFreeze(known), {
        __proto__: null,
        get(target, key) {
          if (typeof key !== 'string') return undefined;
          const v = known[key];
          if (v !== undefined) return v;
          if (key === 'then' || key === 'toJSON' || key === 'constructor') return undefined;
          return notAvailable(path + '.' + L.short(key), why);
        },
      });
    }
    const layerFns = P.ObjectCreate(null);
    for (let i = 0; i < L.names.length; i++) layerFns[L.names[i]] = makeLayerFactory(L.names[i], L.specs[L.names[i]]);
    const layers = namespace(layerFns, 'tf.layers', 'supported layers: ' + L.joinList(L.names));
    const initializers = namespace(P.ObjectCreate(null), 'tf.initializers', 'pass initializers as strings (they are ignored)');
    const regularizers = namespace(P.ObjectCreate(null), 'tf.regularizers', 'regularizers are not part of the architecture (the trainer applies weight decay); remove them');
    const tfKnown = P.ObjectCreate(null);
    tfKnown.sequential = sequential;
    tfKnown.model = model;
    tfKnown.input = input;
    tfKnown.layers = layers;
    tfKnown.initializers = initializers;
    tfKnown.regularizers = regularizers;
    const tf = namespace(tfKnown, 'tf', 'only the layers API is supported (tf.sequential, tf.model, tf.input, tf.layers.*); ' +
      'combine tensors with tf.layers.add/multiply/concatenate().apply([a, b])');

    /** The report for what buildModel returned: the architecture in topological order, or why there is none. */
    function finish(returned) {
      const rec = returned !== null && typeof returned === 'object' ? P.WeakMapGet(modelOf, returned) : undefined;
      if (rec === undefined && isThenable(returned)) {
        return outputFailure('buildModel returned a Promise (is it async, or does it return a promise?); it must build and return the model ' +
          'synchronously: function buildModel(tf, inputShape, numClasses) { ... return model; } without async or await');
      }
      if (rec === undefined) {
        const isTensor = returned !== null && typeof returned === 'object' && P.WeakMapHas(tensorOf, returned);
        return outputFailure('buildModel must return the model (from tf.sequential() or tf.model({inputs, outputs})), got ' +
          (isTensor ? 'a symbolic tensor: return tf.model({inputs: input, outputs: thatTensor})' : L.describe(returned)));
      }
      if (rec.output === null) return outputFailure('the model has no layers');
      const reached = P.ObjectCreate(null);
      const stack = list();
      put(stack, rec.output);
      let inputReached = false;
      while (stack.n > 0) {
        stack.n -= 1;
        const node = stack.at[stack.n];
        if (reached[node.seq] === true) continue;
        reached[node.seq] = true;
        if (node.op === 'input') {
          if (node !== rec.input) return { __proto__: null, kind: 'runtime', message: 'tf.model: the outputs depend on a tf.input() that is not the model\'s inputs', call: null };
          inputReached = true;
        }
        for (let i = 0; i < node.inputs.n; i++) put(stack, node.inputs.at[i]);
      }
      if (!inputReached) return outputFailure('the model output does not depend on its input');
      const ids = P.ObjectCreate(null);
      const perOp = P.ObjectCreate(null);
      const out = list();
      for (let seq = 0; seq < state.nodes.n; seq++) {
        if (reached[seq] !== true) continue;
        const node = state.nodes.at[seq];
        perOp[node.op] = (perOp[node.op] === undefined ? 0 : perOp[node.op]) + 1;
        ids[seq] = node.op === 'input' ? 'input' : node.op + '_' + perOp[node.op];
        const inputs = list();
        for (let i = 0; i < node.inputs.n; i++) put(inputs, ids[node.inputs.at[i].seq]);
        put(out, { __proto__: null, id: ids[seq], op: node.op, inputs, config: node.config });
      }
      const shape = rec.output.shape;
      if (shape.length !== 2 || shape[1] !== numClasses) {
        return outputFailure('the model output has shape ' + L.shapeStr(shape) + ' but must be [null, ' + numClasses + '] (one score per class); ' +
          'end with flatten or globalAveragePooling2d and a dense layer with numClasses units');
      }
      return { __proto__: null, kind: 'ok', nodes: out, output: ids[rec.output.seq] };
    }
    /** A Promise or any object with a then method; reading `then` may run the code's getter, under the time limit. */
    function isThenable(v) {
      return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
    }
    function outputFailure(message) {
      return { __proto__: null, kind: 'output', message, call: null };
    }

    return { __proto__: null, tf, state, ours, finish, list, put };
  };
})
