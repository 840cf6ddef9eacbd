// Counts what the default packing (one ciphertext per channel) would do for
// a 1x28x28 model at N = 32768, without slot arithmetic or keys:
//   node tools/he-ckks/bench/count-plan.js model.onnx
// (alexnet_small's numbers in docs/results.md; the slot simulator itself
// would keep ~400,000 weight vectors of 16,384 doubles).
const { loadModel } = require('../lib/onnx');
const { PackedEvaluator } = require('../lib/packed');
const { graph } = loadModel(process.argv[2]);
const slots = 16384;
const counts = { rotate: 0, mulPlain: 0, mul: 0 }, steps = new Set();
let maxLevel = 0;
const be = {
  slots,
  encrypt: () => ({ level: 0 }), decrypt: () => new Float64Array(slots), level: (c) => c.level,
  dropTo: (c, l) => (l > c.level ? { level: l } : c),
  rotate: (c, k) => { k = ((k % slots) + slots) % slots; if (!k) return c; steps.add(k); counts.rotate++; return { level: c.level }; },
  add: (a, b) => ({ level: Math.max(a.level, b.level) }), addPlain: (c) => ({ level: c.level }),
  mac: (acc, c, p) => { counts.mulPlain++; return { level: c.level }; },
  rescale: (c) => { maxLevel = Math.max(maxLevel, c.level + 1); return { level: c.level + 1 }; },
  mul: (a, b) => { counts.mul++; const l = Math.max(a.level, b.level) + 1; maxLevel = Math.max(maxLevel, l); return { level: l }; },
};
const ev = new PackedEvaluator(graph, be);
ev.vec = (key, fill) => { const v = new Float64Array(slots); fill(v); return v; }; // no cache
ev.decryptLogits(ev.run(new Float64Array(784), [1, 28, 28]));
console.log(JSON.stringify({ packing: 'channel', levels: maxLevel, rotation_keys: steps.size, ...counts }));
