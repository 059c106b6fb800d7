// Evaluated INSIDE the QuickJS sandbox, first, before any untrusted code runs (never imported by Node).
// Captures the built-ins the stand-in needs, so that the answer's code cannot forge the stand-in's
// output by tampering with prototypes or globals afterwards (Array.prototype.map, JSON.stringify, ...).
// Only plain functions called through captured references are used once untrusted code has run:
// no for-of, spread, destructuring of arrays, template literals of objects, or method calls on
// shared prototypes.
(function () {
  'use strict';
  const bind = Function.prototype.bind;
  const call = Function.prototype.call;
  const uncurry = (fn) => bind.call(call, fn);
  const P = Object.create(null);
  P.ObjectCreate = Object.create;
  P.ObjectFreeze = Object.freeze;
  P.ObjectKeys = Object.keys;
  P.ObjectDefineProperty = Object.defineProperty;
  P.ArrayIsArray = Array.isArray;
  P.JSONStringify = JSON.stringify;
  P.NumberIsInteger = Number.isInteger;
  P.NumberIsFinite = Number.isFinite;
  P.MathFloor = Math.floor;
  P.MathCeil = Math.ceil;
  P.MathMin = Math.min;
  P.String = String;
  P.Error = Error;
  P.TypeError = TypeError;
  P.Proxy = Proxy;
  P.WeakMap = WeakMap;
  P.WeakMapGet = uncurry(WeakMap.prototype.get);
  P.WeakMapSet = uncurry(WeakMap.prototype.set);
  P.WeakMapHas = uncurry(WeakMap.prototype.has);
  P.StringSlice = uncurry(String.prototype.slice);
  P.StringIndexOf = uncurry(String.prototype.indexOf);
  P.RegExpExec = uncurry(RegExp.prototype.exec);
  P.indirectEval = globalThis.eval;
  P.globalThis = globalThis;
  return P.ObjectFreeze(P);
})()
