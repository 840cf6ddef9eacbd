'use strict';
// The reference: evaluates the ONNX graph on one image in JS doubles, op by
// op as the ONNX specification defines them (batch 1). The encrypted run is
// compared with it.

function scalarOf(t) {
  return t && t.data.length === 1 ? t.data[0] : null;
}

// The values of `t` if it is a per-channel constant for a map of shape
// `mapShape` ([1,C,H,W]): shape [C,1,1] with any leading 1s; else null.
function perChannel(t, mapShape) {
  if (!t || mapShape.length !== 4) return null;
  const C = mapShape[1];
  const dims = t.shape.slice();
  while (dims.length > 3 && dims[0] === 1) dims.shift();
  return dims.length === 3 && dims[0] === C && dims[1] === 1 && dims[2] === 1 && t.data.length === C ? t.data : null;
}

function mapChannels(x, f) {
  const [, C] = x.shape;
  const hw = x.data.length / C;
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i], Math.floor(i / hw));
  return out;
}

function broadcast(a, b, f, where) {
  if (a.data.length === b.data.length) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[i], b.data[i]);
    return { shape: a.shape.length >= b.shape.length ? a.shape : b.shape, data: out };
  }
  const sa = scalarOf(a), sb = scalarOf(b);
  if (sb !== null) return { shape: a.shape, data: a.data.map((x) => f(x, sb)) };
  if (sa !== null) return { shape: b.shape, data: b.data.map((x) => f(sa, x)) };
  // [1,C,H,W] with a per-channel constant of shape [C,1,1] (or [1,C,1,1]).
  const pa = perChannel(b, a.shape), pb = perChannel(a, b.shape);
  if (pa) return { shape: a.shape, data: mapChannels(a, (x, c) => f(x, pa[c])) };
  if (pb) return { shape: b.shape, data: mapChannels(b, (x, c) => f(pb[c], x)) };
  throw new Error(`${where}: operands of shapes [${a.shape}] and [${b.shape}] do not broadcast in this tool (only equal shapes, a scalar or a per-channel [C,1,1] constant)`);
}

function pads4(attrs) {
  const p = attrs.pads || [0, 0, 0, 0];
  return { top: p[0], left: p[1], bottom: p[2], right: p[3] };
}

function conv(x, w, b, attrs) {
  const [, C, H, W] = x.shape;
  const [O, Ci, KH, KW] = w.shape;
  const [sh, sw] = attrs.strides || [1, 1];
  const p = pads4(attrs);
  const OH = Math.floor((H + p.top + p.bottom - KH) / sh) + 1;
  const OW = Math.floor((W + p.left + p.right - KW) / sw) + 1;
  const out = new Float64Array(O * OH * OW);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        let s = b ? b.data[o] : 0;
        for (let c = 0; c < Ci; c++)
          for (let dy = 0; dy < KH; dy++) {
            const y = i * sh + dy - p.top;
            if (y < 0 || y >= H) continue;
            for (let dx = 0; dx < KW; dx++) {
              const xx = j * sw + dx - p.left;
              if (xx < 0 || xx >= W) continue;
              s += w.data[((o * Ci + c) * KH + dy) * KW + dx] * x.data[(c * H + y) * W + xx];
            }
          }
        out[(o * OH + i) * OW + j] = s;
      }
  if (Ci !== C) throw new Error(`Conv: weights expect ${Ci} input channels, the input has ${C}`);
  return { shape: [1, O, OH, OW], data: out };
}

function avgPool(x, attrs) {
  const [, C, H, W] = x.shape;
  const [KH, KW] = attrs.kernel_shape;
  const [sh, sw] = attrs.strides || [1, 1];
  const p = pads4(attrs);
  const includePad = attrs.count_include_pad === 1;
  const round = attrs.ceil_mode === 1 ? Math.ceil : Math.floor;
  const OH = round((H + p.top + p.bottom - KH) / sh) + 1;
  const OW = round((W + p.left + p.right - KW) / sw) + 1;
  const out = new Float64Array(C * OH * OW);
  for (let c = 0; c < C; c++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        let s = 0, n = 0;
        for (let dy = 0; dy < KH; dy++)
          for (let dx = 0; dx < KW; dx++) {
            const y = i * sh + dy - p.top, xx = j * sw + dx - p.left;
            if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
            s += x.data[(c * H + y) * W + xx];
            n++;
          }
        // count_include_pad counts the window's part inside the padded input.
        const padded = (Math.min(i * sh - p.top + KH, H + p.bottom) - Math.max(i * sh - p.top, -p.top)) *
          (Math.min(j * sw - p.left + KW, W + p.right) - Math.max(j * sw - p.left, -p.left));
        out[(c * OH + i) * OW + j] = s / (includePad ? padded : n);
      }
  return { shape: [1, C, OH, OW], data: out };
}

function gemm(x, w, b, attrs) {
  const transB = attrs.transB === 1;
  const alpha = attrs.alpha ?? 1, beta = attrs.beta ?? 1;
  const n = x.data.length;
  const K = transB ? w.shape[0] : w.shape[1];
  const inner = transB ? w.shape[1] : w.shape[0];
  if (inner !== n) throw new Error(`Gemm: weights expect ${inner} inputs, got ${n}`);
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x.data[i] * (transB ? w.data[k * n + i] : w.data[i * K + k]);
    out[k] = alpha * s + (b ? beta * (b.data.length === 1 ? b.data[0] : b.data[k]) : 0);
  }
  return { shape: [1, K], data: out };
}

function concat(xs) {
  const [, , H, W] = xs[0].shape;
  const C = xs.reduce((a, t) => a + t.shape[1], 0);
  const out = new Float64Array(C * H * W);
  let off = 0;
  for (const t of xs) {
    out.set(t.data, off);
    off += t.data.length;
  }
  return { shape: [1, C, H, W], data: out };
}

// Evaluates `graph` on `input` ({shape: [1,C,H,W], data}); returns the logits.
function evaluatePlain(graph, input) {
  const env = new Map(graph.consts);
  env.set(graph.input, input);
  const get = (name) => (name === '' ? null : env.get(name));
  for (const n of graph.nodes) {
    const a = n.inputs.map(get);
    let r;
    switch (n.op) {
      case 'Conv': r = conv(a[0], a[1], a[2], n.attrs); break;
      case 'Gemm': r = gemm(a[0], a[1], a[2], n.attrs); break;
      case 'AveragePool': r = avgPool(a[0], n.attrs); break;
      case 'Flatten': r = { shape: [1, a[0].data.length], data: a[0].data }; break;
      case 'Concat': r = concat(a); break;
      case 'Add': r = broadcast(a[0], a[1], (u, v) => u + v, n.where); break;
      case 'Sub': r = broadcast(a[0], a[1], (u, v) => u - v, n.where); break;
      case 'Mul': r = broadcast(a[0], a[1], (u, v) => u * v, n.where); break;
      case 'Pow': r = broadcast(a[0], a[1], (u, v) => Math.pow(u, v), n.where); break;
      default: throw new Error(`${n.where}: op ${n.op} is not one a polynomial hec model holds`);
    }
    env.set(n.outputs[0], r);
  }
  return env.get(graph.output).data;
}

module.exports = { evaluatePlain, perChannel };
