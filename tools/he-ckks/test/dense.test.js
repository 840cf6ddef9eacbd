'use strict';
// Dense packing (lib/dense.js) on the slot simulator: the same logits as
// the plaintext evaluation, the levels of hec's cost model, several
// channels per ciphertext, and fewer multiplies than one ciphertext per
// channel.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { loadModel } = require('../lib/onnx');
const { evaluatePlain } = require('../lib/plain');
const { PackedEvaluator } = require('../lib/packed');
const { DenseEvaluator } = require('../lib/dense');
const { SimBackend, LevelError } = require('../lib/backends');
const { ModelBuilder, smallCnn, rng } = require('./models');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'he-ckks-dense-'));

function check(file, shape, { slots = 4096, levels = 10, Evaluator = DenseEvaluator } = {}) {
  const { graph } = loadModel(file);
  const r = rng(6);
  const n = shape.reduce((a, d) => a * d, 1);
  const x = Float64Array.from({ length: n }, () => 2 * r());
  const plain = evaluatePlain(graph, { shape: [1, ...shape], data: x });
  const be = new SimBackend(slots, levels);
  const ev = new Evaluator(graph, be);
  const out = ev.run(x, shape);
  const { logits, level } = ev.decryptLogits(out);
  assert.strictEqual(logits.length, plain.length);
  for (let i = 0; i < plain.length; i++) assert.ok(Math.abs(logits[i] - plain[i]) < 1e-9 * (1 + Math.abs(plain[i])), `logit ${i}: ${logits[i]} vs ${plain[i]}`);
  return { level, be, ev };
}

test('dense: a CNN with sum pool, strided conv and two Gemms: 7 levels', () => {
  const f = path.join(dir, 'cnn.onnx');
  smallCnn(f);
  assert.strictEqual(check(f, [1, 12, 12]).level, 7);
  assert.throws(() => check(f, [1, 12, 12], { levels: 6 }), (e) => e instanceof LevelError && /6 levels/.test(e.message));
});

test('dense: alexnet_small\'s pattern (conv, poly, sum pool, per-channel shift) packs channels and needs fewer multiplies', () => {
  const m = new ModelBuilder(21);
  const f = path.join(dir, 'alexish.onnx');
  let x = m.conv('input', 1, 8, 3, 1, 1); // 1
  x = m.poly(x, 0.5); // 2
  x = m.sumPool(x, 2);
  x = m.node('Add', [x, m.random([8, 1, 1], 1)]); // batch norm's shift: no level
  x = m.conv(x, 8, 12, 3, 1, 1); // 3
  x = m.poly(x, -0.2); // 4
  x = m.conv(x, 12, 6, 3, 1, 1); // 5
  x = m.sumPool(x, 2);
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 6 * 2 * 2, 10); // 6
  x = m.poly(x, 0.1); // 7
  x = m.gemm(x, 10, 4); // 8
  m.save(f, x, 4, { shape: [1, 8, 8], depth: 8 });
  const dense = check(f, [1, 8, 8], { slots: 1024 });
  assert.strictEqual(dense.level, 8);
  const channel = check(f, [1, 8, 8], { slots: 1024, Evaluator: PackedEvaluator });
  assert.strictEqual(channel.level, 8);
  assert.ok(dense.be.counts.mulPlain * 2 < channel.be.counts.mulPlain,
    `dense ${dense.be.counts.mulPlain} vs one per channel ${channel.be.counts.mulPlain} plaintext multiplies`);
  // 8 channels of an 8x8 map at 64-slot steps: one ciphertext, so one
  // ciphertext multiply per activation layer of maps.
  const conv1 = dense.ev.plans.get([...dense.ev.plans.keys()][0]);
  assert.strictEqual(conv1.nOut, 1);
  assert.strictEqual(dense.be.counts.mul, 3);
});

test('dense: concat, residual add, scalar Mul and Pow keep the layout', () => {
  const m = new ModelBuilder(22);
  const f = path.join(dir, 'mix.onnx');
  let x = m.conv('input', 1, 3, 3, 1, 1); // 1
  const a = m.conv(x, 3, 2, 3, 2, 1); // 2
  const b = m.conv(x, 3, 2, 1, 2, 0); // 2
  x = m.node('Concat', [a, b], { axis: 1 }); // 4 channels, level 2
  x = m.node('Add', [x, m.node('Mul', [x, m.constant(0.5)])]); // 3
  x = m.node('Pow', [x, m.constant(2)]); // 4
  x = m.node('Add', [x, m.constant(-0.25)]);
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 4 * 4 * 4, 3); // 5
  m.save(f, x, 3, { shape: [1, 7, 7], depth: 5 });
  assert.strictEqual(check(f, [1, 7, 7], { slots: 2048 }).level, 5);
});

test('dense: an average pool that is not a sum pool is refused by name', () => {
  const m = new ModelBuilder(23);
  const f = path.join(dir, 'avg.onnx');
  let x = m.conv('input', 1, 2, 3, 1, 1);
  x = m.avgPool(x, 2, 2, 0);
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 2 * 2 * 2, 2);
  m.save(f, x, 2, { shape: [1, 4, 4], depth: 3 });
  assert.throws(() => check(f, [1, 4, 4]), /AveragePool that is not a sum pool .* --packing dense/);
});
