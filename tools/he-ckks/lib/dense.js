'use strict';
// Dense packing (--packing dense): many channels per ciphertext, for models
// whose one-ciphertext-per-channel evaluation is too slow (alexnet_small:
// 398,112 plaintext multiplies per image that way, bench/count-plan.js).
//
// A feature map [C, H, W] is a list of ciphertexts; channel c lives in
// ciphertext ct[c] at `base` slots, pixel (i, j) at base + i*rs + j*cs (rs
// and cs shared by the map). Channels of one ciphertext are `step` slots
// apart, step the smallest power of two whose footprints do not collide
// (1024 for 28x28 and 14x14 maps: 16 channels; 256 for 7x7 maps with the
// strides two pools leave: 64 channels). The encrypted image is copied into
// every such block, so the first convolution reads a copy in its own block.
//
// A convolution (and a Gemm, a convolution whose kernel covers its input
// map and whose output is 1x1 per channel) is one sum over rotations:
// out[g] = sum over input ciphertexts gi and steps k of
// rot(in[gi], k) * plaintext, where the plaintext holds, at each output
// slot, the weight that pairs its channel with the input channel that the
// rotation by k brings there (zero where the input lies in the padding, so
// the output is zero outside its values: clean). The steps k split into a
// baby part (the kernel offset, then multiples of the channel unit u) that
// rotates the inputs and a giant part (multiples of B1*u) applied by a
// Horner chain to the partial sums of each output ciphertext, with the
// plaintexts pre-rotated; B1 is chosen to make the fewest rotations.
// Every rotation is by one of few steps (the map's rs and cs, the unit and
// the giant step), so few Galois keys are needed. One rescale: one level.
//
// Sum pools (AveragePool then Mul by k*k), elementwise Add/Mul of two maps
// with the same layout, scalar and per-channel [C,1,1] constants, Pow,
// Flatten and Concat keep the layout; levels as in lib/packed.js.
const { Evaluator, eachInside } = require('./evaluator');
const { nextPow2, gcd } = require('./graph');

const mod = (a, n) => ((a % n) + n) % n;

class DenseEvaluator extends Evaluator {
  constructor(graph, backend) {
    super(graph, backend);
    this.plans = new Map(); // per node: the terms of its rotations, computed once
    this.keySteps = new Set(); // rotation steps planned so far
  }

  // The smallest power-of-two step at which n channels of an H x W map at
  // (rs, cs) fit in one ciphertext without overlapping; returns {step, per}.
  chooseStep(H, W, rs, cs, C, minStep = 1) {
    const foot = [];
    for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) foot.push(i * rs + j * cs);
    const span = Math.max(...foot) + 1;
    if (span > this.slots) throw new Error(`a ${H}x${W} map spans ${span} slots; N/2 = ${this.slots}`);
    for (let step = minStep; step <= this.slots; step *= 2) {
      const per = Math.min(C, this.slots / step);
      const used = new Uint8Array(this.slots);
      let ok = true;
      for (let m = 0; m < per && ok; m++)
        for (const f of foot) {
          const s = (m * step + f) % this.slots;
          if (used[s]) { ok = false; break; }
          used[s] = 1;
        }
      if (ok) return { step, per };
    }
    throw new Error('internal: no step fits');
  }

  layout(C, step, per) {
    const pos = [];
    for (let c = 0; c < C; c++) pos.push({ ct: Math.floor(c / per), bases: [(c % per) * step] });
    return pos;
  }

  // Slots of channel c's values, per copy.
  valueSlots(x, c) {
    const out = [];
    for (const b of x.pos[c].bases)
      for (let i = 0; i < x.H; i++) for (let j = 0; j < x.W; j++) out.push((b + i * x.rs + j * x.cs) % this.slots);
    return out;
  }

  encryptImage(image, C, H, W) {
    const { step } = this.chooseStep(H, W, W, 1, this.slots);
    const copies = this.slots / step;
    const vs = [];
    const pos = [];
    for (let c = 0; c < C; c++) {
      const v = new Float64Array(this.slots);
      const bases = [];
      for (let m = 0; m < copies; m++) {
        v.set(image.subarray(c * H * W, (c + 1) * H * W), m * step);
        bases.push(m * step);
      }
      // Row-major with rs = W: the copy at m*step is pixel (i, j) at m*step + i*W + j.
      vs.push(v);
      pos.push({ ct: c, bases });
    }
    return { kind: 'map', C, H, W, rs: W, cs: 1, cts: vs.map((v) => this.be.encrypt(v)), pos, clean: true, step, copies: true };
  }

  // The terms of a convolution-like node, computed once: for every output
  // ciphertext g, giant index d, input ciphertext gi and baby (offset o,
  // unit multiple q1), the list of [output slot, weight].
  convPlan(key, x, geo) {
    const { O, KH, KW, sh, sw, pt, pl, OH, OW, weight, outStep } = geo;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const rs = x.rs * sh, cs = x.cs * sw;
    // Output channels no closer than the input's (its copies' spacing, or a
    // 16th of its channels'): fewer and shorter rotation chains.
    const minStep = Math.max(outStep ?? 1, x.copies ? x.step : Math.max(1, x.step / 16));
    const { step, per } = this.chooseStep(OH, OW, rs, cs, O, minStep);
    const pos = this.layout(O, step, per);
    const nOut = Math.ceil(O / per);
    // Entries: [g, gi, delta (base difference mod slots), oy, ox (kernel offset), slot, w].
    const entries = [];
    let u = this.slots;
    for (let o = 0; o < O; o++) {
      const bo = pos[o].bases[0];
      for (let c = 0; c < x.C; c++) {
        // The copy of c nearest above o's base (a copy in o's own block when there is one).
        let bc = null;
        for (const b of x.pos[c].bases) if (bc === null || mod(b - bo, this.slots) < mod(bc - bo, this.slots)) bc = b;
        const delta = mod(bc - bo, this.slots);
        let any = false;
        for (let dy = 0; dy < KH; dy++)
          for (let dx = 0; dx < KW; dx++) {
            const w = weight(o, c, dy, dx);
            eachInside(x, geo, dy, dx, (i, j) => {
              entries.push([pos[o].ct, x.pos[c].ct, delta, dy - pt, dx - pl, (bo + i * rs + j * cs) % this.slots, w]);
              any = true;
            });
          }
        if (any) u = gcd(u, delta);
      }
    }
    const D = this.slots / u;
    // Babies rotate by nonnegative offsets (oy + Ry) rows and (ox + Rx)
    // columns, so no key for a negative step is needed; the sum is rotated
    // back by R = Ry*rs + Rx*cs at the end (one rotation per output).
    let Ry = 0, Rx = 0; // (no spread: millions of entries)
    for (const e of entries) {
      Ry = Math.max(Ry, -e[3]);
      Rx = Math.max(Rx, -e[4]);
    }
    const R = Ry * x.rs + Rx * x.cs;
    for (const e of entries) {
      e[3] += Ry;
      e[4] += Rx;
      e[5] = mod(e[5] - R, this.slots);
    }
    // A giant step of B1*u needs a key of its own unless it is a step that
    // is rotated by anyway: B1 > 1 only then.
    const known = this.keySteps;
    known.add(u);
    // Pick B1 (babies per offset) for the fewest rotations.
    let best = null;
    for (let B1 = 1; B1 <= D; B1 *= 2) {
      if (B1 > 1 && !known.has(B1 * u)) continue;
      const babies = new Set(), giants = new Map();
      for (const e of entries) {
        const q = e[2] / u, q1 = q % B1, q2 = Math.floor(q / B1);
        babies.add(`${e[1]},${e[3]},${e[4]},${q1}`);
        giants.set(e[0], Math.max(giants.get(e[0]) ?? 0, q2));
      }
      // A baby rotation is a chain: q1 rotations by u after its offset.
      const chains = new Map();
      for (const b of babies) {
        const [gi, oy, ox, q1] = b.split(',').map(Number);
        const k = `${gi},${oy},${ox}`;
        chains.set(k, Math.max(chains.get(k) ?? 0, q1));
      }
      let cost = 0;
      for (const v of chains.values()) cost += 1 + v;
      for (const v of giants.values()) cost += v;
      if (!best || cost < best.cost) best = { B1, cost };
    }
    const B1 = best.B1, G = B1 * u;
    // Group: g -> d -> term key -> entries.
    const groups = new Map();
    for (const e of entries) {
      const [g, gi, delta, oy, ox, s, w] = e;
      const q = delta / u, q1 = q % B1, d = Math.floor(q / B1);
      if (!groups.has(g)) groups.set(g, new Map());
      const byD = groups.get(g);
      if (!byD.has(d)) byD.set(d, new Map());
      const tk = `${gi},${oy},${ox},${q1}`;
      const terms = byD.get(d);
      if (!terms.has(tk)) terms.set(tk, { gi, oy, ox, q1, slots: [], ws: [] });
      const t = terms.get(tk);
      // Pre-rotated by -d*G: the Horner chain rotates the partial sum by d*G.
      t.slots.push((s + d * G) % this.slots);
      t.ws.push(w);
    }
    const plan = { pos, nOut, rs, cs, u, B1, G, groups, OH, OW, step, R };
    this.plans.set(key, plan);
    return plan;
  }

  // rot(in[gi], oy*rs + ox*cs + q1*u), built from rotations by rs, cs, u.
  babyRotations(x, plan) {
    const memo = new Map();
    const get = (gi, oy, ox, q1) => {
      const k = `${gi},${oy},${ox},${q1}`;
      if (memo.has(k)) return memo.get(k);
      let r;
      if (q1 > 0) r = this.be.rotate(get(gi, oy, ox, q1 - 1), plan.u);
      else if (ox > 0) r = this.rotateBy(get(gi, oy, ox - 1, 0), x.cs);
      else if (oy > 0) r = this.rotateBy(get(gi, oy - 1, 0, 0), x.rs);
      else r = x.cts[gi];
      memo.set(k, r);
      return r;
    };
    get.all = () => [...memo.values()];
    return get;
  }

  applyConv(n, x, plan, bias) {
    const inputs = this.align(x.cts);
    const xa = { ...x, cts: inputs };
    const baby = this.babyRotations(xa, plan);
    const out = [];
    for (let g = 0; g < plan.nOut; g++) {
      const byD = plan.groups.get(g);
      if (!byD) throw new Error(`${n.where}: output ciphertext ${g} has no nonzero weight`);
      const maxD = Math.max(...byD.keys());
      let acc = null;
      for (let d = maxD; d >= 0; d--) {
        if (acc) {
          const prev = acc;
          acc = this.be.rotate(acc, plan.G);
          this.be.free(prev);
        }
        const terms = byD.get(d);
        if (!terms) continue;
        for (const [tk, t] of terms) {
          const key = `${n.name}/${g}/${d}/${tk}`;
          const v = new Float64Array(this.slots);
          for (let i = 0; i < t.slots.length; i++) v[t.slots[i]] += t.ws[i];
          acc = this.be.mac(acc, baby(t.gi, t.oy, t.ox, t.q1), v, key);
        }
      }
      if (plan.R) {
        const prev = acc;
        acc = this.be.rotate(acc, -plan.R);
        this.be.free(prev);
      }
      let y = this.be.rescale(acc);
      this.be.free(acc);
      if (bias) {
        const key = `${n.name}/bias/${g}`;
        const unbiased = y;
        y = this.be.addPlain(y, this.vec(key, (v) => {
          plan.pos.forEach((p, o) => {
            if (p.ct !== g || bias[o] === 0) return;
            for (let i = 0; i < plan.OH; i++) for (let j = 0; j < plan.OW; j++) v[(p.bases[0] + i * plan.rs + j * plan.cs) % this.slots] = bias[o];
          });
        }), key);
        this.be.free(unbiased);
      }
      out.push(y);
    }
    // The rotated inputs and aligned copies go; the inputs stay (their
    // value may have other users).
    const keep = new Set([...x.cts, ...out]);
    for (const ct of [...inputs, ...baby.all()]) if (!keep.has(ct)) this.be.free(ct);
    return out;
  }

  // A rotation by k; twice by k/2 when k/2 has a key and k has none yet
  // (fc1's rows and columns at twice the last convolution's strides).
  rotateBy(ct, k) {
    if (k % 2 === 0 && !this.keySteps.has(k) && this.keySteps.has(k / 2)) {
      const half = this.rotateBy(ct, k / 2);
      const r = this.be.rotate(half, k / 2);
      this.be.free(half);
      return r;
    }
    this.keySteps.add(k);
    return this.be.rotate(ct, k);
  }

  conv(n, x, w, b) {
    const { O, Ci, KH, KW, sh, sw, pt, pl, OH, OW } = this.convShape(n, x, w);
    const plan = this.convPlan(n.name, x, { O, KH, KW, sh, sw, pt, pl, OH, OW,
      weight: (o, c, dy, dx) => w.data[((o * Ci + c) * KH + dy) * KW + dx] });
    const cts = this.applyConv(n, x, plan, b ? b.data : null);
    return { kind: 'map', C: O, H: OH, W: OW, rs: plan.rs, cs: plan.cs, cts, pos: plan.pos, clean: true, step: plan.step };
  }

  // Gemm on a map [C, H, W] (Flatten's order c*H*W + i*W + j): a
  // convolution with an H x W kernel and no padding, 1x1 outputs.
  gemm(n, x, w, b) {
    if (x.kind !== 'map') throw new Error(`${n.where}: Gemm needs an encrypted input`);
    const transB = n.attrs.transB === 1;
    const alpha = n.attrs.alpha ?? 1, beta = n.attrs.beta ?? 1;
    const K = transB ? w.shape[0] : w.shape[1];
    const inner = transB ? w.shape[1] : w.shape[0];
    const HW = x.H * x.W;
    if (inner !== x.C * HW) throw new Error(`${n.where}: weights expect ${inner} inputs, the input has ${x.C * HW}`);
    const weight = (k, c, dy, dx) => {
      const f = c * HW + dy * x.W + dx;
      return alpha * (transB ? w.data[k * inner + f] : w.data[f * K + k]);
    };
    const outStep = Math.max(1, this.slots / nextPow2(K));
    const plan = this.convPlan(n.name, x, { O: K, KH: x.H, KW: x.W, sh: 1, sw: 1, pt: 0, pl: 0, OH: 1, OW: 1, weight, outStep });
    const bias = b ? Array.from({ length: K }, (_, k) => beta * (b.data.length === 1 ? b.data[0] : b.data[k])) : null;
    const cts = this.applyConv(n, x, plan, bias);
    return { kind: 'map', C: K, H: 1, W: 1, rs: plan.rs, cs: plan.cs, cts, pos: plan.pos, clean: true, step: plan.step };
  }

  pool(n, x, sumPool) {
    const { KH, KW, sh, sw, OH, OW } = this.poolShape(n, x, sumPool);
    if (sumPool) {
      // Columns then rows: KW-1 + KH-1 rotations per ciphertext.
      const cts = x.cts.map((ct) => {
        let r = ct;
        let acc = ct;
        for (let dx = 1; dx < KW; dx++) {
          r = this.rotateBy(r, x.cs);
          acc = this.be.add(acc, r);
        }
        let row = acc, out = acc;
        for (let dy = 1; dy < KH; dy++) {
          row = this.rotateBy(row, x.rs);
          out = this.be.add(out, row);
        }
        return out;
      });
      return { ...x, H: OH, W: OW, rs: x.rs * sh, cs: x.cs * sw, cts, clean: false };
    }
    throw new Error(`${n.where}: an AveragePool that is not a sum pool (AveragePool then Mul by ${KH * KW}) is not supported with --packing dense`);
  }

  // Gemm reads the map in Flatten's order.
  flatten(x) {
    return x;
  }

  cleanAfter(op, u, v) {
    return u.clean && v.clean;
  }

  concat(a) {
    const f = a[0];
    const cts = [], pos = [];
    for (const v of a) {
      for (const p of v.pos) pos.push({ ct: p.ct + cts.length, bases: p.bases });
      cts.push(...v.cts);
    }
    return { ...f, C: pos.length, cts, pos, clean: a.every((v) => v.clean), step: Math.min(...a.map((v) => v.step)),
      copies: a.every((v) => v.copies) };
  }

  zip(n, a, b, f) {
    const same = a.kind === 'map' && b.kind === 'map' && a.C === b.C && a.H === b.H && a.W === b.W && a.rs === b.rs && a.cs === b.cs &&
      a.cts.length === b.cts.length && a.pos.every((p, c) => p.ct === b.pos[c].ct && p.bases.join() === b.pos[c].bases.join());
    if (!same) throw new Error(`${n.where}: its two encrypted operands are packed differently`);
    return { ...a, cts: a.cts.map((ct, i) => f(ct, b.cts[i])) };
  }

  // A vector with value(c) at channel c's values (all copies), per ciphertext.
  constVecs(key, x, value) {
    return x.cts.map((_, g) => this.vec(`${key}/${g}`, (v) => {
      for (let c = 0; c < x.C; c++) {
        if (x.pos[c].ct !== g) continue;
        const val = value(c);
        for (const s of this.valueSlots(x, c)) v[s] = val;
      }
    }));
  }

  addConst(n, x, value) {
    const vs = this.constVecs(`${n.name}/c`, x, value);
    return { ...x, cts: x.cts.map((ct, g) => this.be.addPlain(ct, vs[g], `${n.name}/c/${g}`)) };
  }

  addChannels(n, x, k) {
    return { ...this.addConst(n, x, (c) => k[c]), clean: x.clean };
  }

  addScalar(n, x, c) {
    return this.addConst(n, x, () => c);
  }

  mulScalar(n, x, c) {
    if (c === 1) return x;
    const v = this.vec(`${n.name}/m`, (v) => v.fill(c));
    return { ...x, cts: x.cts.map((ct) => this.be.rescale(this.be.mac(null, ct, v, `${n.name}/m`))) };
  }

  // After each node, the ciphertexts that no later node reads (nor the
  // output) are freed.
  afterEach(env) {
    const g = this.graph;
    // The last node that reads each value: its ciphertexts are freed after it.
    const lastUse = new Map();
    g.nodes.forEach((n, i) => n.inputs.forEach((name) => lastUse.set(name, i)));
    g.nodes.forEach((n, i) => {
      const alias = this.fusions.skipped.get(n);
      if (alias) lastUse.set(alias, Math.max(lastUse.get(alias) ?? i, lastUse.get(n.outputs[0]) ?? i));
    });
    const collect = (i) => {
      const live = new Set();
      for (const [name, v] of env)
        if (v && v.kind === 'map' && (name === g.output || (lastUse.get(name) ?? -1) > i)) for (const ct of v.cts) live.add(ct);
      this.be.collect(live);
    };
    return collect;
  }

  // Decrypts the logits (the output map's values in Flatten's order).
  decryptLogits(out) {
    const logits = new Float64Array(out.C * out.H * out.W);
    let level = 0;
    const vs = out.cts.map((ct) => {
      level = Math.max(level, this.be.level(ct));
      return this.be.decrypt(ct);
    });
    for (let c = 0; c < out.C; c++) {
      const b = out.pos[c].bases[0];
      for (let i = 0; i < out.H; i++)
        for (let j = 0; j < out.W; j++) logits[(c * out.H + i) * out.W + j] = vs[out.pos[c].ct][(b + i * out.rs + j * out.cs) % this.slots];
    }
    return { logits, level };
  }
}

module.exports = { DenseEvaluator };
