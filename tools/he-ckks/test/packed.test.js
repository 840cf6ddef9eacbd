'use strict';
// The packed evaluation (on the slot simulator) agrees with the plaintext
// one op by op, and uses the levels of hec's cost model.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { loadModel } = require('../lib/onnx');
const { evaluatePlain } = require('../lib/plain');
const { PackedEvaluator } = require('../lib/packed');
const { SimBackend, LevelError } = require('../lib/backends');
const { ModelBuilder, smallCnn, rng } = require('./models');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'he-ckks-'));

function check(file, shape, { slots = 4096, levels = 10 } = {}) {
  const { graph } = loadModel(file);
  const r = rng(5);
  const n = shape.reduce((a, d) => a * d, 1);
  const x = Float64Array.from({ length: n }, () => 2 * r());
  const plain = evaluatePlain(graph, { shape: [1, ...shape], data: x });
  const be = new SimBackend(slots, levels);
  const ev = new PackedEvaluator(graph, be);
  const { logits, level } = ev.decryptLogits(ev.run(x, shape));
  assert.strictEqual(logits.length, plain.length);
  for (let i = 0; i < plain.length; i++) assert.ok(Math.abs(logits[i] - plain[i]) < 1e-9 * (1 + Math.abs(plain[i])), `logit ${i}: ${logits[i]} vs ${plain[i]}`);
  return { level, be };
}

test('a CNN with sum pool, strided conv and two Gemms: 7 levels', () => {
  const f = path.join(dir, 'cnn.onnx');
  smallCnn(f);
  assert.strictEqual(check(f, [1, 12, 12]).level, 7);
});

test('he_cnn\'s shape: channels packed in blocks, periodic maps into Gemm', () => {
  const m = new ModelBuilder(11);
  const f = path.join(dir, 'hecnn.onnx');
  let x = m.conv('input', 1, 4, 3, 2, 1); // 1, per channel
  x = m.poly(x, 0.5); // 2
  x = m.conv(x, 4, 6, 3, 2, 1); // 3, in blocks: periodic
  x = m.poly(x, 0.3); // 4
  x = m.node('Add', [x, m.node('Mul', [x, m.constant(0.5)])]); // 5, periodic
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 6 * 4 * 4, 5); // 6, no copies needed
  x = m.gemm(x, 5, 3); // 7
  m.save(f, x, 3, { shape: [1, 14, 14], depth: 7 });
  const { level, be } = check(f, [1, 14, 14], { slots: 2048 });
  assert.strictEqual(level, 7);
  assert.ok(be.counts.mulPlain < 200, `${be.counts.mulPlain} plaintext multiplies`);
});

test('a convolution on a periodic map, and one on packed and plain channels', () => {
  const m = new ModelBuilder(12);
  const f = path.join(dir, 'mixed.onnx');
  let x = m.conv('input', 1, 2, 3, 1, 1); // 1
  const p = m.conv(x, 2, 3, 3, 1, 1); // 2, in blocks: periodic
  const q = m.conv(p, 3, 2, 3, 2, 1); // 3, per channel on a periodic map
  const r = m.conv(x, 2, 2, 1, 2, 0); // 2, in blocks
  x = m.node('Concat', [q, r], { axis: 1 }); // 3, mixed: not clean
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 4 * 3 * 3, 3); // 4
  m.save(f, x, 3, { shape: [1, 6, 6], depth: 4 });
  assert.strictEqual(check(f, [1, 6, 6], { slots: 512 }).level, 4);
});

test('padded average pool, concat, residual add, Pow and scalar Mul', () => {
  const m = new ModelBuilder(9);
  const f = path.join(dir, 'mix.onnx');
  let x = m.conv('input', 1, 2, 3, 1, 1); // 1
  const a = m.avgPool(x, 3, 2, 1); // 2 (an average: one level)
  const b = m.conv(x, 2, 1, 1, 2, 0); // 2
  x = m.node('Concat', [a, b], { axis: 1 }); // 3 channels, level 2
  x = m.node('Add', [x, m.node('Mul', [x, m.constant(0.5)])]); // 3
  x = m.node('Pow', [x, m.constant(2)]); // 4
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 3 * 4 * 4, 3); // 5
  m.save(f, x, 3, { shape: [1, 7, 7], depth: 5 });
  assert.strictEqual(check(f, [1, 7, 7]).level, 5);
});

test('ceil_mode pools and a global average pool', () => {
  const m = new ModelBuilder(4);
  const f = path.join(dir, 'ceil.onnx');
  let x = m.conv('input', 1, 2, 3, 1, 0); // 1, 5x5
  x = m.node('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 1 }); // 2, 3x3
  const g = m.node('AveragePool', [x], { kernel_shape: [3, 3], strides: [1, 1], pads: [0, 0, 0, 0], count_include_pad: 1 }); // 3
  x = m.node('Flatten', [g], { axis: 1 });
  x = m.gemm(x, 2, 3); // 4
  m.save(f, x, 3, { shape: [1, 7, 7], depth: 4 });
  assert.strictEqual(check(f, [1, 7, 7]).level, 4);
});

test('a multiply by 1 and an add of 0 cost nothing; x^3 costs two levels', () => {
  const m = new ModelBuilder(2);
  const f = path.join(dir, 'pow.onnx');
  let x = m.node('Mul', ['input', m.constant(1)]);
  x = m.node('Add', [x, m.constant(0)]);
  x = m.node('Pow', [x, m.constant(3)]);
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 16, 2);
  m.save(f, x, 2, { shape: [1, 4, 4], depth: 3 });
  assert.strictEqual(check(f, [1, 4, 4]).level, 3);
});

test('too few levels is a LevelError that names them', () => {
  const f = path.join(dir, 'cnn.onnx');
  smallCnn(f);
  assert.throws(() => check(f, [1, 12, 12], { levels: 6 }), (e) => e instanceof LevelError && /6 levels/.test(e.message));
});

test('rotations need Galois keys only for the steps planned', () => {
  const f = path.join(dir, 'cnn.onnx');
  smallCnn(f);
  const { be } = check(f, [1, 12, 12]);
  assert.ok(be.steps.size > 0 && be.steps.size < 40, `${be.steps.size} steps`);
});

test('a per-channel constant add (batch-norm shift) on clean, pooled and block-packed maps uses no level', () => {
  const m = new ModelBuilder(13);
  const f = path.join(dir, 'shift.onnx');
  let x = m.conv('input', 1, 3, 3, 1, 1); // 1, clean
  x = m.node('Add', [x, m.tensor([3, 1, 1], [0.5, -2, 1.25])]); // clean: the constant only where values are
  x = m.poly(x, 0.3); // 2
  x = m.sumPool(x, 2); // not clean
  x = m.node('Add', [m.tensor([1, 3, 1, 1], [-0.7, 0.2, 3]), x]); // constant first, [1,C,1,1]
  x = m.conv(x, 3, 2, 3, 1, 1); // 3
  x = m.conv(x, 2, 4, 3, 1, 1); // 4, in blocks: periodic
  x = m.node('Add', [x, m.tensor([4, 1, 1], [1, 0, -1, 2])]); // in every block
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 4 * 4 * 4, 3); // 5
  m.save(f, x, 3, { shape: [1, 8, 8], depth: 5 });
  const { level, be } = check(f, [1, 8, 8], { slots: 1024 });
  assert.strictEqual(level, 5);
  assert.strictEqual(be.counts.mul, 3); // the activation, one per channel: the adds multiply nothing
});

test('a per-channel constant of the wrong size, and a per-channel Mul, are refused', () => {
  const m = new ModelBuilder(14);
  const f = path.join(dir, 'badshift.onnx');
  let x = m.conv('input', 1, 3, 3, 1, 1);
  x = m.node('Add', [x, m.tensor([2, 1, 1], [0.5, -2])]);
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 3 * 16, 2);
  m.save(f, x, 2, { shape: [1, 4, 4], depth: 2 });
  assert.throws(() => check(f, [1, 4, 4]), /do not broadcast/);
  const m2 = new ModelBuilder(14);
  let y = m2.conv('input', 1, 3, 3, 1, 1);
  y = m2.node('Mul', [y, m2.tensor([3, 1, 1], [0.5, -2, 1])]);
  y = m2.node('Flatten', [y], { axis: 1 });
  y = m2.gemm(y, 3 * 16, 2);
  m2.save(f, y, 2, { shape: [1, 4, 4], depth: 3 });
  const { graph } = loadModel(f);
  const ev = new PackedEvaluator(graph, new SimBackend(256, 4));
  assert.throws(() => ev.run(new Float64Array(16), [1, 4, 4]), /Mul needs two encrypted operands or one and a scalar constant$/);
});

test('ops outside the polynomial subset are refused by name', () => {
  const m = new ModelBuilder(2);
  const f = path.join(dir, 'relu.onnx');
  let x = m.node('Relu', ['input']);
  x = m.node('Flatten', [x], { axis: 1 });
  x = m.gemm(x, 16, 2);
  m.save(f, x, 2, { shape: [1, 4, 4], depth: 1 });
  assert.throws(() => check(f, [1, 4, 4]), /Relu/);
});
