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

const { Evaluator, eachInside } = require('./evaluator');
const { isPow2, nextPow2, gcd } = require('./graph');

class PackedEvaluator extends Evaluator {
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
    const shape = this.convShape(n, x, w);
    const { O, Ci, KH, KW, sh, sw, pt, pl, OH, OW } = shape;
    const rs = x.rs * sh, cs = x.cs * sw;
    const block = nextPow2((x.H - 1) * x.rs + (x.W - 1) * x.cs + 1);
    if (x.clean && !x.period && Ci > 1 && Ci <= this.slots / block)
      return this.convBlocks(n, x, w, b, { ...shape, rs, cs }, block);
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
            const p = this.vec(key, (v) => eachInside(x, shape, dy, dx, (i, j) => {
              v[i * rs + j * cs] = wv;
            }));
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
  convBlocks(n, x, w, b, shape, block) {
    const { OH, OW, rs, cs, pt, pl } = shape;
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
              eachInside(x, shape, dy, dx, (i, j) => {
                v[c * block + i * rs + j * cs] = wv;
              });
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
    const { KH, KW, sh, sw, pt, pl, pb, pr, OH, OW } = this.poolShape(n, x, sumPool);
    const rs = x.rs * sh, cs = x.cs * sw;
    const shape = { kind: 'map', C: x.C, H: OH, W: OW, rs, cs };
    if (sumPool) {
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

  mulScalar(n, x, c) {
    if (c === 1) return x;
    const key = `${n.name}/c`;
    return this.each(x, (ct) => this.be.rescale(this.be.mac(null, ct, this.constVec(key, { kind: 'none' }, c), key)));
  }

  addScalar(n, x, c) {
    return this.each(x, (u) => this.be.addPlain(u, this.constVec(`${n.name}/c`, x, c), `${n.name}/c`));
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

  // clean: zero outside the values (in every block if periodic).
  cleanAfter(op, u, v) {
    const same = u.clean && v.clean && u.period === v.period;
    return op === 'Add' ? same : same || (u.clean && !u.period) || (v.clean && !v.period);
  }

  concat(a) {
    const f = a[0];
    const same = a.every((v) => v.period === f.period);
    return { ...f, C: a.reduce((s, v) => s + v.C, 0), cts: a.flatMap((v) => v.cts), clean: same && a.every((v) => v.clean),
      period: same ? f.period : 0 };
  }

  power(n, x, e) {
    return { ...super.power(n, x, e), clean: x.clean };
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
