'use strict';
// Evaluates the ONNX graph of one image on packed ciphertexts through a
// backend (lib/backends.js: CKKS with SEAL, or a slot simulator in doubles
// used to plan the rotations and levels and in tests).
//
// Packing: one ciphertext per channel. A feature map [C, H, W] is C
// ciphertexts whose slot i*rs + j*cs holds pixel (i, j); a strided
// convolution or a pool keeps the slots where they are and multiplies rs and
// cs by the stride. A convolution rotates each input channel once per kernel
// offset and multiplies by plaintexts that hold the weight at the output
// positions whose input is inside the image (zero padding is a mask folded
// into the weights), so it uses one level. A vector (after Flatten or Gemm)
// is a list of ciphertexts with the slot of each feature. Gemm replicates a
// clean input (zeros outside its features) into blocks, multiplies each
// block by one output's weights, and sums inside the blocks by rotations.
//
// Levels follow hec's cost model (docs/depth.md): a plaintext or ciphertext
// multiplication and its rescale use one level; additions, rotations,
// Flatten and Concat none; an AveragePool followed by a Mul by k*k (a sum
// pool) none; an AveragePool on its own one (its 1/count multiply).

const isPow2 = (n) => n > 0 && (n & (n - 1)) === 0;
const nextPow2 = (n) => {
  let p = 1;
  while (p < n) p *= 2;
  return p;
};
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
const { perChannel } = require('./plain');

function scalarConst(graph, name) {
  const t = graph.consts.get(name);
  return t && t.data.length === 1 ? t.data[0] : null;
}

// Marks AveragePool + Mul(k*k) pairs as sum pools.
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

class PackedEvaluator {
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

  sum(terms) {
    let acc = terms[0];
    for (let i = 1; i < terms.length; i++) acc = this.be.add(acc, terms[i]);
    return acc;
  }

  positions(t) {
    const pos = [];
    for (let i = 0; i < t.H; i++) for (let j = 0; j < t.W; j++) pos.push(i * t.rs + j * t.cs);
    return pos;
  }

  encryptImage(image, C, H, W) {
    if (H * W > this.slots) throw new Error(`an image of ${H}x${W} needs ${H * W} slots; N/2 = ${this.slots}`);
    const cts = [];
    for (let c = 0; c < C; c++) {
      const v = new Float64Array(this.slots);
      v.set(image.subarray(c * H * W, (c + 1) * H * W));
      cts.push(this.be.encrypt(v));
    }
    return { kind: 'map', C, H, W, rs: W, cs: 1, cts, clean: true };
  }

  conv(n, x, w, b) {
    const [O, Ci, KH, KW] = w.shape;
    if (x.kind !== 'map') throw new Error(`${n.where}: Conv needs a feature map`);
    if (Ci !== x.C) throw new Error(`${n.where}: weights expect ${Ci} input channels, the input has ${x.C}`);
    if ((n.attrs.group ?? 1) !== 1) throw new Error(`${n.where}: only group = 1 is supported`);
    if ((n.attrs.dilations || [1, 1]).some((d) => d !== 1)) throw new Error(`${n.where}: only dilation 1 is supported`);
    const [sh, sw] = n.attrs.strides || [1, 1];
    const [pt, pl, pb, pr] = n.attrs.pads || [0, 0, 0, 0];
    const OH = Math.floor((x.H + pt + pb - KH) / sh) + 1;
    const OW = Math.floor((x.W + pl + pr - KW) / sw) + 1;
    const rs = x.rs * sh, cs = x.cs * sw;
    const block = nextPow2((x.H - 1) * x.rs + (x.W - 1) * x.cs + 1);
    if (x.clean && !x.period && Ci > 1 && Ci <= this.slots / block)
      return this.convBlocks(n, x, w, b, { OH, OW, rs, cs, sh, sw, pt, pl, block });
    const inputs = this.align(x.cts);
    const rotated = inputs.map((ct) => {
      const r = [];
      for (let dy = 0; dy < KH; dy++)
        for (let dx = 0; dx < KW; dx++) r.push(this.be.rotate(ct, (dy - pt) * x.rs + (dx - pl) * x.cs));
      return r;
    });
    const out = [];
    for (let o = 0; o < O; o++) {
      let acc = null;
      for (let c = 0; c < Ci; c++)
        for (let dy = 0; dy < KH; dy++)
          for (let dx = 0; dx < KW; dx++) {
            const wv = w.data[((o * Ci + c) * KH + dy) * KW + dx];
            if (wv === 0) continue;
            const key = `${n.name}/${o}/${c}/${dy}/${dx}`;
            let any = false;
            const p = this.vec(key, (v) => {
              for (let i = 0; i < OH; i++) {
                const y = i * sh + dy - pt;
                if (y < 0 || y >= x.H) continue;
                for (let j = 0; j < OW; j++) {
                  const xx = j * sw + dx - pl;
                  if (xx < 0 || xx >= x.W) continue;
                  v[i * rs + j * cs] = wv;
                }
              }
            });
            for (let i = 0; i < p.length && !any; i++) any = p[i] !== 0;
            if (any) acc = this.be.mac(acc, rotated[c][dy * KW + dx], p, key);
          }
      if (!acc) throw new Error(`${n.where}: output channel ${o} has no nonzero weight`);
      let y = this.be.rescale(acc);
      if (b && b.data[o] !== 0) {
        const bv = b.data[o];
        const key = `${n.name}/bias/${o}`;
        y = this.be.addPlain(y, this.vec(key, (v) => {
          for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) v[i * rs + j * cs] = bv;
        }), key);
      }
      out.push(y);
    }
    return { kind: 'map', C: O, H: OH, W: OW, rs, cs, cts: out, clean: true };
  }

  // A convolution on a clean input whose channels fit in blocks of the slots:
  // the channels are packed into one ciphertext, channel c in block c; each
  // kernel offset is one rotation of it; output channel o multiplies them by
  // the weights w[o][c] in block c and sums, and rotations by the block size
  // add the blocks up, so every block holds output o: the result is
  // periodic (x.period), which a following Gemm takes as already copied.
  convBlocks(n, x, w, b, { OH, OW, rs, cs, sh, sw, pt, pl, block }) {
    const [O, Ci, KH, KW] = w.shape;
    const inputs = this.align(x.cts);
    let packed = inputs[0];
    for (let c = 1; c < Ci; c++) packed = this.be.add(packed, this.be.rotate(inputs[c], -c * block));
    const rotated = [];
    for (let dy = 0; dy < KH; dy++)
      for (let dx = 0; dx < KW; dx++) rotated.push(this.be.rotate(packed, (dy - pt) * x.rs + (dx - pl) * x.cs));
    const out = [];
    for (let o = 0; o < O; o++) {
      let acc = null;
      for (let dy = 0; dy < KH; dy++)
        for (let dx = 0; dx < KW; dx++) {
          const key = `${n.name}/blocks/${o}/${dy}/${dx}`;
          const p = this.vec(key, (v) => {
            for (let c = 0; c < Ci; c++) {
              const wv = w.data[((o * Ci + c) * KH + dy) * KW + dx];
              for (let i = 0; i < OH; i++) {
                const y = i * sh + dy - pt;
                if (y < 0 || y >= x.H) continue;
                for (let j = 0; j < OW; j++) {
                  const xx = j * sw + dx - pl;
                  if (xx >= 0 && xx < x.W) v[c * block + i * rs + j * cs] = wv;
                }
              }
            }
          });
          acc = this.be.mac(acc, rotated[dy * KW + dx], p, key);
        }
      if (!acc) throw new Error(`${n.where}: output channel ${o} has no nonzero weight`);
      let y = this.be.rescale(acc);
      for (let s = block; s < this.slots; s *= 2) y = this.be.add(y, this.be.rotate(y, s));
      if (b && b.data[o] !== 0) {
        const bv = b.data[o];
        const key = `${n.name}/blocks/bias/${o}`;
        y = this.be.addPlain(y, this.vec(key, (v) => {
          for (let s0 = 0; s0 < this.slots; s0 += block)
            for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) v[s0 + i * rs + j * cs] = bv;
        }), key);
      }
      out.push(y);
    }
    return { kind: 'map', C: O, H: OH, W: OW, rs, cs, cts: out, clean: true, period: block };
  }

  pool(n, x, sumPool) {
    if (x.kind !== 'map') throw new Error(`${n.where}: AveragePool needs a feature map`);
    const [KH, KW] = n.attrs.kernel_shape;
    const [sh, sw] = n.attrs.strides || [1, 1];
    const [pt, pl, pb, pr] = n.attrs.pads || [0, 0, 0, 0];
    const round = n.attrs.ceil_mode === 1 ? Math.ceil : Math.floor;
    const OH = round((x.H + pt + pb - KH) / sh) + 1;
    const OW = round((x.W + pl + pr - KW) / sw) + 1;
    const rs = x.rs * sh, cs = x.cs * sw;
    const shape = { kind: 'map', C: x.C, H: OH, W: OW, rs, cs };
    if (sumPool) {
      if ((OH - 1) * sh + KH > x.H || (OW - 1) * sw + KW > x.W)
        throw new Error(`${n.where}: a sum pool whose last window hangs past the map (ceil_mode) is not supported`);
      if (pt || pl || pb || pr)
        throw new Error(`${n.where}: a sum pool (AveragePool then Mul by ${KH * KW}) with padding would need a mask and a level; hec's depth report counts none`);
      const cts = x.cts.map((ct) => {
        const terms = [];
        for (let dy = 0; dy < KH; dy++) for (let dx = 0; dx < KW; dx++) terms.push(this.be.rotate(ct, dy * x.rs + dx * x.cs));
        return this.sum(terms);
      });
      return { ...shape, cts, clean: false };
    }
    // An average: a depthwise convolution with weights 1/count.
    const includePad = n.attrs.count_include_pad === 1;
    const cts = x.cts.map((ct) => {
      let acc = null;
      for (let dy = 0; dy < KH; dy++)
        for (let dx = 0; dx < KW; dx++) {
          const key = `${n.name}/${dy}/${dx}`;
          const p = this.vec(key, (v) => {
            for (let i = 0; i < OH; i++)
              for (let j = 0; j < OW; j++) {
                let count = 0, inside = false;
                for (let ey = 0; ey < KH; ey++)
                  for (let ex = 0; ex < KW; ex++) {
                    const y = i * sh + ey - pt, xx = j * sw + ex - pl;
                    const ok = y >= 0 && y < x.H && xx >= 0 && xx < x.W;
                    if (ok) count++;
                    if (ok && ey === dy && ex === dx) inside = true;
                  }
                const padded = (Math.min(i * sh - pt + KH, x.H + pb) - Math.max(i * sh - pt, -pt)) *
                  (Math.min(j * sw - pl + KW, x.W + pr) - Math.max(j * sw - pl, -pl));
                if (inside) v[i * rs + j * cs] = 1 / (includePad ? padded : count);
              }
          });
          acc = this.be.mac(acc, this.be.rotate(ct, (dy - pt) * x.rs + (dx - pl) * x.cs), p, key);
        }
      return this.be.rescale(acc);
    });
    return { ...shape, cts, clean: true };
  }

  flatten(x) {
    if (x.kind === 'vec') return x;
    const parts = x.cts.map((ct, c) => {
      const feats = [];
      for (let i = 0; i < x.H; i++) for (let j = 0; j < x.W; j++) feats.push([c * x.H * x.W + i * x.W + j, i * x.rs + j * x.cs]);
      return { ct, feats };
    });
    return { kind: 'vec', n: x.C * x.H * x.W, parts, clean: x.clean, period: x.period };
  }

  gemm(n, x, w, b) {
    x = this.flatten(x);
    const transB = n.attrs.transB === 1;
    const alpha = n.attrs.alpha ?? 1, beta = n.attrs.beta ?? 1;
    const K = transB ? w.shape[0] : w.shape[1];
    const inner = transB ? w.shape[1] : w.shape[0];
    if (inner !== x.n) throw new Error(`${n.where}: weights expect ${inner} inputs, the input has ${x.n}`);
    const weight = (k, f) => alpha * (transB ? w.data[k * inner + f] : w.data[f * K + k]);
    const cts = this.align(x.parts.map((p) => p.ct));
    let span = 1, d = 0;
    for (const p of x.parts) for (const [, s] of p.feats) {
      span = Math.max(span, s + 1);
      d = gcd(d, s);
    }
    // A periodic input (convBlocks) already holds its copies.
    const Bs = x.period && x.period >= span ? x.period : nextPow2(span);
    d = gcd(d, Bs) || Bs;
    const B = x.clean ? Math.min(nextPow2(K), this.slots / Bs) : 1;
    const reps = x.period === Bs ? cts : cts.map((ct) => {
      let r = ct;
      for (let s = Bs; s < B * Bs; s *= 2) r = this.be.add(r, this.be.rotate(r, -s));
      return r;
    });
    const parts = [];
    for (let g = 0; g * B < K; g++) {
      let acc = null;
      x.parts.forEach((p, pi) => {
        const key = `${n.name}/${g}/${pi}/${B}`;
        const v = this.vec(key, (v) => {
          for (let bi = 0; bi < B && g * B + bi < K; bi++)
            for (const [f, s] of p.feats) v[bi * Bs + s] = weight(g * B + bi, f);
        });
        acc = this.be.mac(acc, reps[pi], v, key);
      });
      let z = this.be.rescale(acc);
      for (let s = d; s < Bs; s *= 2) z = this.be.add(z, this.be.rotate(z, s));
      const feats = [];
      for (let bi = 0; bi < B && g * B + bi < K; bi++) feats.push([g * B + bi, bi * Bs]);
      if (b) {
        const key = `${n.name}/bias/${g}/${B}`;
        z = this.be.addPlain(z, this.vec(key, (v) => {
          for (const [k, s] of feats) v[s] = beta * (b.data.length === 1 ? b.data[0] : b.data[k]);
        }), key);
      }
      parts.push({ ct: z, feats });
    }
    return { kind: 'vec', n: K, parts, clean: false };
  }

  // Applies f to each ciphertext of x (a map or a vector), same layout.
  each(x, f) {
    if (x.kind === 'map') return { ...x, cts: x.cts.map(f) };
    return { ...x, parts: x.parts.map((p) => ({ ...p, ct: f(p.ct) })) };
  }

  cts(x) {
    return x.kind === 'map' ? x.cts : x.parts.map((p) => p.ct);
  }

  zip(n, a, b, f) {
    const same = a.kind === b.kind && (a.kind === 'map'
      ? a.C === b.C && a.H === b.H && a.W === b.W && a.rs === b.rs && a.cs === b.cs
      : a.parts.length === b.parts.length && a.parts.every((p, i) => JSON.stringify(p.feats) === JSON.stringify(b.parts[i].feats)));
    if (!same) throw new Error(`${n.where}: its two encrypted operands are packed differently`);
    const bc = this.cts(b);
    let i = 0;
    return { ...this.each(a, (ct) => f(ct, bc[i++])), period: a.period === b.period ? a.period : 0 };
  }

  // A constant vector with `c` where x holds values (all slots if x is not clean).
  constVec(key, x, c) {
    return this.vec(key, (v) => {
      const step = x.period || this.slots;
      for (let s0 = 0; s0 < this.slots; s0 += step) {
        if (x.kind === 'map' && x.clean) {
          for (let i = 0; i < x.H; i++) for (let j = 0; j < x.W; j++) v[s0 + i * x.rs + j * x.cs] = c;
        } else if (x.kind === 'vec' && x.clean) {
          for (const p of x.parts) for (const [, s] of p.feats) v[s0 + s] = c;
        } else v.fill(c);
      }
    });
  }

  mulScalar(x, c, key) {
    if (c === 1) return x;
    return this.each(x, (ct) => this.be.rescale(this.be.mac(null, ct, this.constVec(key, { kind: 'none' }, c), key)));
  }

  // x + k[c] on channel c of a feature map (batch norm's free shift): a
  // plaintext with k[c] at the live slots of channel c's ciphertext (every
  // slot if x is not clean), encoded at its scale and level; no level.
  addChannels(n, x, k) {
    return { ...x, cts: x.cts.map((ct, c) => {
      if (k[c] === 0) return ct;
      const key = `${n.name}/c/${c}`;
      return this.be.addPlain(ct, this.constVec(key, x, k[c]), key);
    }) };
  }

  power(n, x, e) {
    if (!Number.isInteger(e) || e < 1) throw new Error(`${n.where}: Pow needs a positive integer exponent, got ${e}`);
    const mul = (a, b) => this.zip(n, a, b, (u, v) => this.be.mul(u, v));
    let result = null, base = x;
    for (let k = e; k > 0; k >>= 1) {
      if (k & 1) result = result ? mul(result, base) : base;
      if (k > 1) base = mul(base, base);
    }
    return { ...result, clean: x.clean };
  }

  // Evaluates the graph on `image` (Float64Array, C*H*W, normalised);
  // returns the logits' ciphertexts as {parts} for decryptLogits.
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
    for (const n of g.nodes) {
      if (this.fusions.skipped.has(n)) {
        env.set(n.outputs[0], env.get(this.fusions.skipped.get(n)));
        continue;
      }
      const a = n.inputs.map(get);
      const t = (i) => (a[i] && a[i].kind === 'const' ? a[i].t : null);
      const enc = (v) => v && v.kind !== 'const';
      let r;
      switch (n.op) {
        case 'Conv': r = this.conv(n, a[0], t(1), t(2)); break;
        case 'Gemm': r = this.gemm(n, a[0], t(1), t(2)); break;
        case 'AveragePool': r = this.pool(n, a[0], this.fusions.sumPools.has(n)); break;
        case 'Flatten': r = this.flatten(a[0]); break;
        case 'Concat': {
          if (a.some((v) => v.kind !== 'map')) throw new Error(`${n.where}: Concat joins feature maps`);
          const f = a[0];
          if (a.some((v) => v.H !== f.H || v.W !== f.W || v.rs !== f.rs || v.cs !== f.cs))
            throw new Error(`${n.where}: Concat of maps packed differently`);
          const same = a.every((v) => v.period === f.period);
          r = { ...f, C: a.reduce((s, v) => s + v.C, 0), cts: a.flatMap((v) => v.cts), clean: same && a.every((v) => v.clean),
            period: same ? f.period : 0 };
          break;
        }
        case 'Add':
        case 'Mul': {
          if (enc(a[0]) && enc(a[1])) {
            // clean: zero outside the values (in every block if periodic).
            const [u0, v0] = a;
            const same = u0.clean && v0.clean && u0.period === v0.period;
            r = n.op === 'Add'
              ? { ...this.zip(n, u0, v0, (u, v) => this.be.add(u, v)), clean: same }
              : { ...this.zip(n, u0, v0, (u, v) => this.be.mul(u, v)),
                clean: same || (u0.clean && !u0.period) || (v0.clean && !v0.period) };
            break;
          }
          const x = enc(a[0]) ? a[0] : a[1];
          const ct = enc(a[0]) ? t(1) : t(0);
          const channels = x && x.kind === 'map' ? perChannel(ct, [1, x.C, x.H, x.W]) : null;
          if (n.op === 'Add' && x && ct && channels && ct.data.length > 1) {
            r = this.addChannels(n, x, channels);
            break;
          }
          if (!x || !ct || ct.data.length !== 1)
            throw new Error(`${n.where}: ${n.op} needs two encrypted operands or one and a scalar constant` +
              (n.op === 'Add' ? ' or a per-channel [C,1,1] constant' : ''));
          const c = ct.data[0];
          r = n.op === 'Add'
            ? (c === 0 ? x : this.each(x, (u) => this.be.addPlain(u, this.constVec(`${n.name}/c`, x, c), `${n.name}/c`)))
            : this.mulScalar(x, c, `${n.name}/c`);
          break;
        }
        case 'Pow': {
          const e = t(1);
          if (!enc(a[0]) || !e || e.data.length !== 1) throw new Error(`${n.where}: Pow needs an encrypted base and a scalar exponent`);
          r = this.power(n, a[0], e.data[0]);
          break;
        }
        default:
          throw new Error(`${n.where}: op ${n.op} has no encrypted form in this tool (Conv, Gemm, AveragePool, Flatten, Concat, Add, Mul, Pow)`);
      }
      env.set(n.outputs[0], r);
    }
    const out = env.get(g.output);
    if (!out || out.kind === 'const') throw new Error(`the graph's output '${g.output}' is not computed from the input`);
    return this.flatten(out);
  }

  // Decrypts the logits; returns {logits, level}.
  decryptLogits(out) {
    const logits = new Float64Array(out.n);
    let level = 0;
    for (const p of out.parts) {
      const v = this.be.decrypt(p.ct);
      level = Math.max(level, this.be.level(p.ct));
      for (const [f, s] of p.feats) logits[f] = v[s];
    }
    return { logits, level };
  }
}

module.exports = { PackedEvaluator, isPow2 };
