'use strict';
// he-ckks end to end under SEAL on a tiny model (N = 8192, 3 levels).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { tinyCnn, writeIdx } = require('./models');

const tool = path.join(__dirname, '..', 'he-ckks.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'he-ckks-cli-'));
const model = path.join(dir, 'tiny.onnx');
tinyCnn(model);
const data = writeIdx(dir, 4, 8);
const run = (...args) => spawnSync(process.execPath, [tool, model, '--images', data.images, '--labels', data.labels, ...args], { encoding: 'utf8' });

test('two encrypted images agree with plaintext, at the depth of the report', () => {
  const r = run('-n', '2', '--offset', '1');
  assert.strictEqual(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.strictEqual(out.levels_used, 3);
  assert.strictEqual(out.levels_used, out.total_depth);
  assert.strictEqual(out.agreement, 1);
  assert.ok(out.max_abs_error < 1e-2, `error ${out.max_abs_error}`);
  assert.deepStrictEqual(out.ckks.coeff_modulus_bits, [50, 30, 30, 30, 50]);
  assert.deepStrictEqual([out.input_mean, out.input_std], [[0.5], [0.25]]); // the model's metadata
  for (const k of ['accuracy', 'seconds_per_image', 'keygen_seconds', 'peak_memory_mb']) assert.strictEqual(typeof out[k], 'number', k);
  assert.match(r.stderr, /image 1\/2 \(#1\)/);
  assert.match(r.stderr, /image 2\/2 \(#2\)/);
});

test('a per-channel constant add (batch-norm shift) under SEAL agrees with plaintext, no extra level', () => {
  const shifted = path.join(dir, 'shift.onnx');
  tinyCnn(shifted, { shift: true });
  const r = spawnSync(process.execPath, [tool, shifted, '--images', data.images, '--labels', data.labels, '-n', '2'], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.strictEqual(out.levels_used, 3);
  assert.strictEqual(out.agreement, 1);
  assert.ok(out.max_abs_error < 1e-2, `error ${out.max_abs_error}`);
});

test('--packing dense under SEAL: the shifted model agrees with plaintext at the depth of the report', () => {
  const shifted = path.join(dir, 'shift.onnx');
  tinyCnn(shifted, { shift: true });
  const r = spawnSync(process.execPath, [tool, shifted, '--images', data.images, '--labels', data.labels, '-n', '2', '--packing', 'dense'],
    { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.strictEqual(out.packing, 'dense');
  assert.strictEqual(out.levels_used, 3);
  assert.strictEqual(out.agreement, 1);
  assert.ok(out.max_abs_error < 1e-2, `error ${out.max_abs_error}`);
  assert.match(r.stderr, /plan \(dense packing\)/);
  const bad = spawnSync(process.execPath, [tool, shifted, '--images', data.images, '--labels', data.labels, '--packing', 'sparse'], { encoding: 'utf8' });
  assert.match(bad.stderr, /--packing expects channel or dense, got 'sparse'/);
});

test('one level fewer than the report asks for fails and says so', () => {
  const r = run('--levels', '2');
  assert.strictEqual(r.status, 1);
  assert.strictEqual(r.stdout, '');
  assert.match(r.stderr, /needs more than the 2 levels of the modulus chain \(--levels 2\)/);
});

test('a depth report that is not the depth the evaluation takes fails and says so', () => {
  const wrong = path.join(dir, 'wrong-depth.onnx');
  tinyCnn(wrong, { depthClaim: 4 });
  const r = spawnSync(process.execPath, [tool, wrong, '--images', data.images, '--labels', data.labels, '-n', '1'], { encoding: 'utf8' });
  assert.strictEqual(r.status, 1);
  assert.match(r.stderr, /the encrypted evaluation uses 3 levels, the model's depth report says total_depth 4/);
  assert.doesNotMatch(r.stderr, /^keys:/m); // refused before any key is made
});

test('bad input: a missing file, a model without hec metadata, too many images', () => {
  let r = spawnSync(process.execPath, [tool, path.join(dir, 'none.onnx'), '--images', data.images, '--labels', data.labels], { encoding: 'utf8' });
  assert.match(r.stderr, /none\.onnx: cannot read: ENOENT/);
  fs.writeFileSync(path.join(dir, 'junk.onnx'), 'not a model');
  r = spawnSync(process.execPath, [tool, path.join(dir, 'junk.onnx'), '--images', data.images, '--labels', data.labels], { encoding: 'utf8' });
  assert.strictEqual(r.status, 1);
  assert.match(r.stderr, /junk\.onnx: not an ONNX model/);
  r = run('-n', '5');
  assert.match(r.stderr, /holds 4 images; asked for 5 from 0/);
  r = run('-n', 'x');
  assert.match(r.stderr, /-n expects an integer >= 1, got 'x'/);
  r = run('--std', '0.3,0');
  assert.match(r.stderr, /--std expects comma-separated numbers > 0, got '0.3,0'/);
});
