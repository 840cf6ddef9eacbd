'use strict';
// Helpers on the ONNX graph shared by the evaluators (lib/packed.js,
// lib/dense.js): powers of two, scalar constants, and the sum pools.

const isPow2 = (n) => n > 0 && (n & (n - 1)) === 0;
const nextPow2 = (n) => {
  let p = 1;
  while (p < n) p *= 2;
  return p;
};
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

function scalarConst(graph, name) {
  const t = graph.consts.get(name);
  return t && t.data.length === 1 ? t.data[0] : null;
}

// Marks AveragePool + Mul(k*k) pairs as sum pools: returns the pools and,
// per skipped Mul, the pool output it stands for.
function planFusions(graph) {
  const uses = new Map();
  for (const n of graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) || 0) + 1);
  const sumPools = new Set();
  const skipped = new Map(); // Mul output -> pool output
  for (const n of graph.nodes) {
    if (n.op !== 'AveragePool' || uses.get(n.outputs[0]) !== 1) continue;
    const [kh, kw] = n.attrs.kernel_shape;
    const m = graph.nodes.find((u) => u.op === 'Mul' && u.inputs.includes(n.outputs[0]));
    if (!m) continue;
    const other = m.inputs[0] === n.outputs[0] ? m.inputs[1] : m.inputs[0];
    const c = scalarConst(graph, other);
    if (c === null || Math.abs(c - kh * kw) > 1e-6 * kh * kw) continue;
    sumPools.add(n);
    skipped.set(m, n.outputs[0]);
  }
  return { sumPools, skipped };
}

module.exports = { isPow2, nextPow2, gcd, scalarConst, planFusions };
