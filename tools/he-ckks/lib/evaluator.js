'use strict';
// What the two packings share (lib/packed.js: one ciphertext per channel;
// lib/dense.js: many channels per ciphertext): the walk over the graph's
// nodes, the checks and output shapes of Conv and AveragePool, and the ops
// whose code does not depend on the layout (Pow, the scalar and per-channel
// constant cases of Add and Mul, Concat's checks). A subclass provides the
// layout: encryptImage, conv, gemm, pool, flatten, concat, zip, cleanAfter,
// addScalar, mulScalar, addChannels and decryptLogits.
const { perChannel } = require('./plain');
const { planFusions } = require('./graph');

// Calls f(i, j) for each output (i, j) whose input under kernel offset
// (dy, dx) lies inside the H x W map x (not in the padding).
function eachInside(x, { OH, OW, sh, sw, pt, pl }, dy, dx, f) {
  for (let i = 0; i < OH; i++) {
    const y = i * sh + dy - pt;
    if (y < 0 || y >= x.H) continue;
    for (let j = 0; j < OW; j++) {
      const xx = j * sw + dx - pl;
      if (xx < 0 || xx >= x.W) continue;
      f(i, j);
    }
  }
}

class Evaluator {
  constructor(graph, backend) {
    this.graph = graph;
    this.be = backend;
    this.slots = backend.slots;
    this.fusions = planFusions(graph);
    this.vectors = new Map(); // plaintext vectors, computed once
  }

  vec(key, fill) {
    let v = this.vectors.get(key);
    if (!v) {
      v = new Float64Array(this.slots);
      fill(v);
      this.vectors.set(key, v);
    }
    return v;
  }

  // Brings every ciphertext of `cts` to the deepest level among them.
  align(cts) {
    const lvl = Math.max(...cts.map((c) => this.be.level(c)));
    return cts.map((c) => this.be.dropTo(c, lvl));
  }

  // A Conv's weight shape, strides, pads and output size, after the checks.
  convShape(n, x, w) {
    const [O, Ci, KH, KW] = w.shape;
    if (x.kind !== 'map') throw new Error(`${n.where}: Conv needs a feature map`);
    if (Ci !== x.C) throw new Error(`${n.where}: weights expect ${Ci} input channels, the input has ${x.C}`);
    if ((n.attrs.group ?? 1) !== 1) throw new Error(`${n.where}: only group = 1 is supported`);
    if ((n.attrs.dilations || [1, 1]).some((d) => d !== 1)) throw new Error(`${n.where}: only dilation 1 is supported`);
    const [sh, sw] = n.attrs.strides || [1, 1];
    const [pt, pl, pb, pr] = n.attrs.pads || [0, 0, 0, 0];
    const OH = Math.floor((x.H + pt + pb - KH) / sh) + 1;
    const OW = Math.floor((x.W + pl + pr - KW) / sw) + 1;
    return { O, Ci, KH, KW, sh, sw, pt, pl, OH, OW };
  }

  // An AveragePool's kernel, strides, pads and output size; a sum pool
  // (AveragePool then Mul by k*k) is refused if it needs padding or its last
  // window hangs past the map.
  poolShape(n, x, sumPool) {
    if (x.kind !== 'map') throw new Error(`${n.where}: AveragePool needs a feature map`);
    const [KH, KW] = n.attrs.kernel_shape;
    const [sh, sw] = n.attrs.strides || [1, 1];
    const [pt, pl, pb, pr] = n.attrs.pads || [0, 0, 0, 0];
    const round = n.attrs.ceil_mode === 1 ? Math.ceil : Math.floor;
    const OH = round((x.H + pt + pb - KH) / sh) + 1;
    const OW = round((x.W + pl + pr - KW) / sw) + 1;
    if (sumPool) {
      if ((OH - 1) * sh + KH > x.H || (OW - 1) * sw + KW > x.W)
        throw new Error(`${n.where}: a sum pool whose last window hangs past the map (ceil_mode) is not supported`);
      if (pt || pl || pb || pr)
        throw new Error(`${n.where}: a sum pool (AveragePool then Mul by ${KH * KW}) with padding would need a mask and a level; hec's depth report counts none`);
    }
    return { KH, KW, sh, sw, pt, pl, pb, pr, OH, OW };
  }

  // x^e by squaring, with ciphertext multiplies.
  power(n, x, e) {
    if (!Number.isInteger(e) || e < 1) throw new Error(`${n.where}: Pow needs a positive integer exponent, got ${e}`);
    const mul = (a, b) => this.zip(n, a, b, (u, v) => this.be.mul(u, v));
    let result = null, base = x;
    for (let k = e; k > 0; k >>= 1) {
      if (k & 1) result = result ? mul(result, base) : base;
      if (k > 1) base = mul(base, base);
    }
    return result;
  }

  // Called once per run with its values; may return a function called with
  // each node's index once its value is set (not for a Mul of a sum pool).
  afterEach() {
    return null;
  }

  // Evaluates the graph on `image` (Float64Array, C*H*W, normalised);
  // returns the output (flattened) for decryptLogits.
  run(image, [C, H, W]) {
    const g = this.graph;
    const env = new Map();
    env.set(g.input, this.encryptImage(image, C, H, W));
    const get = (name) => {
      if (env.has(name)) return env.get(name);
      if (g.consts.has(name)) return { kind: 'const', t: g.consts.get(name) };
      if (name === '') return null;
      throw new Error(`value '${name}' is used before it is defined`);
    };
    const after = this.afterEach(env);
    for (const [i, n] of g.nodes.entries()) {
      if (this.fusions.skipped.has(n)) {
        env.set(n.outputs[0], env.get(this.fusions.skipped.get(n)));
        continue;
      }
      env.set(n.outputs[0], this.node(n, n.inputs.map(get)));
      if (after) after(i);
    }
    const out = env.get(g.output);
    if (!out || out.kind === 'const') throw new Error(`the graph's output '${g.output}' is not computed from the input`);
    return this.flatten(out);
  }

  // The value of node n from its operands `a`.
  node(n, a) {
    const t = (i) => (a[i] && a[i].kind === 'const' ? a[i].t : null);
    const enc = (v) => v && v.kind !== 'const';
    switch (n.op) {
      case 'Conv': return this.conv(n, a[0], t(1), t(2));
      case 'Gemm': return this.gemm(n, a[0], t(1), t(2));
      case 'AveragePool': return this.pool(n, a[0], this.fusions.sumPools.has(n));
      case 'Flatten': return this.flatten(a[0]);
      case 'Concat': {
        if (a.some((v) => v.kind !== 'map')) throw new Error(`${n.where}: Concat joins feature maps`);
        const f = a[0];
        if (a.some((v) => v.H !== f.H || v.W !== f.W || v.rs !== f.rs || v.cs !== f.cs))
          throw new Error(`${n.where}: Concat of maps packed differently`);
        return this.concat(a);
      }
      case 'Add':
      case 'Mul': {
        if (enc(a[0]) && enc(a[1])) {
          const f = n.op === 'Add' ? (u, v) => this.be.add(u, v) : (u, v) => this.be.mul(u, v);
          return { ...this.zip(n, a[0], a[1], f), clean: this.cleanAfter(n.op, a[0], a[1]) };
        }
        const x = enc(a[0]) ? a[0] : a[1];
        const ct = enc(a[0]) ? t(1) : t(0);
        const channels = x && x.kind === 'map' ? perChannel(ct, [1, x.C, x.H, x.W]) : null;
        if (n.op === 'Add' && x && ct && channels && ct.data.length > 1) return this.addChannels(n, x, channels);
        if (!x || !ct || ct.data.length !== 1)
          throw new Error(`${n.where}: ${n.op} needs two encrypted operands or one and a scalar constant` +
            (n.op === 'Add' ? ' or a per-channel [C,1,1] constant' : ''));
        const c = ct.data[0];
        return n.op === 'Add' ? (c === 0 ? x : this.addScalar(n, x, c)) : this.mulScalar(n, x, c);
      }
      case 'Pow': {
        const e = t(1);
        if (!enc(a[0]) || !e || e.data.length !== 1) throw new Error(`${n.where}: Pow needs an encrypted base and a scalar exponent`);
        return this.power(n, a[0], e.data[0]);
      }
      default:
        throw new Error(`${n.where}: op ${n.op} has no encrypted form in this tool (Conv, Gemm, AveragePool, Flatten, Concat, Add, Mul, Pow)`);
    }
  }
}

module.exports = { Evaluator, eachInside };
