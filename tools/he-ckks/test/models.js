'use strict';
// Builds small ONNX models in hec's exported form (the contract in
// docs/design.md) for the tests, and IDX files of random images.
const fs = require('fs');
const zlib = require('zlib');
const { onnxRoot } = require('../lib/onnx');

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

class ModelBuilder {
  constructor(seed = 1) {
    this.nodes = [];
    this.inits = [];
    this.rand = rng(seed);
    this.count = 0;
  }
  name(p) {
    return `${p}_${this.count++}`;
  }
  tensor(dims, values) {
    const name = this.name('w');
    this.inits.push({ name, dims, dataType: 1, floatData: values });
    return name;
  }
  random(dims, scale) {
    const n = dims.reduce((a, d) => a * d, 1);
    return this.tensor(dims, Array.from({ length: n }, () => scale * this.rand()));
  }
  constant(v) {
    const out = this.name('c');
    this.nodes.push({ opType: 'Constant', output: [out], name: out,
      attribute: [{ name: 'value', type: 4, t: { dims: [], dataType: 1, floatData: [v] } }] });
    return out;
  }
  node(opType, inputs, attrs = {}) {
    const out = this.name(opType.toLowerCase());
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v) ? { name, type: 7, ints: v } : Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v });
    this.nodes.push({ opType, input: inputs, output: [out], name: out, attribute });
    return out;
  }
  conv(x, cin, cout, k, stride = 1, pad = 0) {
    const w = this.random([cout, cin, k, k], 2 / Math.sqrt(cin * k * k));
    const b = this.random([cout], 0.2);
    return this.node('Conv', [x, w, b], { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad], group: 1 });
  }
  gemm(x, nin, nout) {
    const w = this.random([nout, nin], 2 / Math.sqrt(nin));
    const b = this.random([nout], 0.2);
    return this.node('Gemm', [x, w, b], { transB: 1 });
  }
  // hec's absorbed polynomial x * (x + c).
  poly(x, c) {
    return this.node('Mul', [x, this.node('Add', [x, this.constant(c)])]);
  }
  sumPool(x, k) {
    const p = this.node('AveragePool', [x], { kernel_shape: [k, k], strides: [k, k], pads: [0, 0, 0, 0] });
    return this.node('Mul', [p, this.constant(k * k)]);
  }
  avgPool(x, k, stride, pad) {
    return this.node('AveragePool', [x], { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] });
  }
  save(file, output, classes, { shape, depth, ringDimension = 16384, bits = [60, 40, 60], mean = [0.5], std = [0.25] }) {
    const dim = (d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d });
    const vi = (name, dims) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map(dim) } } } });
    const ckks = { first_mod_bits: bits[0], fits: true, log_q: bits[0] + bits[1] * depth + bits[2], max_log_q: 438,
      ring_dimension: ringDimension, scale_bits: bits[1], security_bits: 128, slots: ringDimension / 2, special_prime_bits: bits[2] };
    const meta = {
      'hec.version': 'test', 'hec.total_depth': String(depth), 'hec.ckks': JSON.stringify(ckks),
      'hec.class_names': JSON.stringify(Array.from({ length: classes }, (_, i) => String(i))),
      'hec.input_mean': JSON.stringify(mean), 'hec.input_std': JSON.stringify(std), 'hec.input_shape': JSON.stringify(shape),
    };
    const model = {
      irVersion: 8, opsetImport: [{ domain: '', version: 13 }], producerName: 'he-ckks-test',
      graph: { name: 'forward', node: this.nodes, initializer: this.inits, input: [vi('input', ['N', ...shape])],
        output: [vi(output, ['N', classes])] },
      metadataProps: Object.entries(meta).map(([key, value]) => ({ key, value })),
    };
    const T = onnxRoot();
    fs.writeFileSync(file, T.encode(T.fromObject(model)).finish());
  }
}

// A CNN like the zoo's: conv, poly, sum pool, conv, poly, flatten, gemm,
// poly, gemm: depth 1+1+0+1+1+1+1+1 = 7 levels.
function smallCnn(file, { H = 12, seed = 1, depthClaim = null } = {}) {
  const m = new ModelBuilder(seed);
  let x = m.conv('input', 1, 2, 3, 1, 1);
  x = m.poly(x, 0.7);
  x = m.sumPool(x, 2);
  x = m.conv(x, 2, 3, 3, 2, 1);
  x = m.poly(x, -0.3);
  x = m.node('Flatten', [x], { axis: 1 });
  const side = Math.floor((H / 2 + 2 - 3) / 2) + 1;
  x = m.gemm(x, 3 * side * side, 6);
  x = m.poly(x, 0.5);
  x = m.gemm(x, 6, 4);
  m.save(file, x, 4, { shape: [1, H, H], depth: depthClaim ?? 7 });
}

function writeIdx(dir, n, H, seed = 7) {
  const r = rng(seed);
  const img = Buffer.alloc(16 + n * H * H);
  img.writeUInt32BE(0x803, 0);
  img.writeUInt32BE(n, 4);
  img.writeUInt32BE(H, 8);
  img.writeUInt32BE(H, 12);
  for (let i = 16; i < img.length; i++) img[i] = Math.floor((r() + 0.5) * 256);
  const lab = Buffer.alloc(8 + n);
  lab.writeUInt32BE(0x801, 0);
  lab.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i++) lab[8 + i] = i % 4;
  fs.writeFileSync(`${dir}/images-idx3-ubyte.gz`, zlib.gzipSync(img));
  fs.writeFileSync(`${dir}/labels-idx1-ubyte`, lab);
  return { images: `${dir}/images-idx3-ubyte.gz`, labels: `${dir}/labels-idx1-ubyte` };
}

// The fastest model to run under SEAL: conv, poly, gemm at N = 8192 with a
// 30-bit scale (3 levels: 50 + 3*30 + 50 = 190 bits).
// With `shift`, a per-channel constant [2,1,1] is added after the
// activation (alexnet_small's batch-norm shift), which uses no level.
function tinyCnn(file, { H = 8, seed = 3, shift = false, depthClaim = 3 } = {}) {
  const m = new ModelBuilder(seed);
  let x = m.conv('input', 1, 2, 3, 2, 1);
  x = m.poly(x, 0.4);
  if (shift) x = m.node('Add', [x, m.tensor([2, 1, 1], [0.75, -1.5])]);
  x = m.node('Flatten', [x], { axis: 1 });
  const side = Math.floor((H + 2 - 3) / 2) + 1;
  x = m.gemm(x, 2 * side * side, 4);
  m.save(file, x, 4, { shape: [1, H, H], depth: depthClaim, ringDimension: 8192, bits: [50, 30, 50] });
}

module.exports = { ModelBuilder, smallCnn, tinyCnn, writeIdx, rng };
