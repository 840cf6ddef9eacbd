'use strict';
// Reads an ONNX model with protobufjs and the onnx.proto of Debian's
// libonnx-dev (copied beside this file, see docs/design.md) and turns it into
// a small graph: initializers and Constant outputs as Float64Array tensors,
// nodes in file order (ONNX requires topological order), and hec's
// metadata_props parsed as the contract in docs says.
const fs = require('fs');
const path = require('path');
const protobuf = require('protobufjs');

let modelType = null;
function onnxRoot() {
  if (!modelType) {
    const root = protobuf.loadSync(path.join(__dirname, 'onnx.proto'));
    modelType = root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

const FLOAT = 1;
const DOUBLE = 11;
const INT64 = 7;

function tensorValues(t, where) {
  const n = (t.dims || []).reduce((a, d) => a * Number(d), 1);
  let out;
  if (t.rawData && t.rawData.length) {
    const buf = Buffer.from(t.rawData);
    if (t.dataType === FLOAT) {
      out = new Float64Array(buf.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(4 * i);
    } else if (t.dataType === DOUBLE) {
      out = new Float64Array(buf.length / 8);
      for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(8 * i);
    } else if (t.dataType === INT64) {
      out = new Float64Array(buf.length / 8);
      for (let i = 0; i < out.length; i++) out[i] = Number(buf.readBigInt64LE(8 * i));
    }
  } else if (t.dataType === FLOAT) {
    out = Float64Array.from(t.floatData || []);
  } else if (t.dataType === DOUBLE) {
    out = Float64Array.from(t.doubleData || []);
  } else if (t.dataType === INT64) {
    out = Float64Array.from((t.int64Data || []).map(Number));
  }
  if (!out) throw new Error(`${where}: tensor '${t.name}' has data type ${t.dataType}; expected float, double or int64`);
  if (out.length !== n) throw new Error(`${where}: tensor '${t.name}' holds ${out.length} values for shape [${t.dims.join(', ')}]`);
  return { shape: (t.dims || []).map(Number), data: out };
}

function attrValue(a) {
  switch (a.type) {
    case 1: return a.f;
    case 2: return Number(a.i);
    case 3: return Buffer.from(a.s).toString();
    case 4: return a.t;
    case 6: return a.floats;
    case 7: return a.ints.map(Number);
    default: return undefined;
  }
}

function parseJson(meta, key, file, fallback) {
  if (!(key in meta)) return fallback;
  try {
    return JSON.parse(meta[key]);
  } catch (e) {
    throw new Error(`${file}: metadata '${key}' is not JSON: ${e.message}`);
  }
}

// Loads `file`; returns {graph: {inputs, output, nodes, consts}, meta}.
function loadModel(file) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read: ${e.code || e.message}`);
  }
  let m;
  try {
    m = onnxRoot().decode(bytes);
  } catch (e) {
    throw new Error(`${file}: not an ONNX model: ${e.message}`);
  }
  if (!m.graph) throw new Error(`${file}: not an ONNX model: no graph`);
  const g = m.graph;
  const consts = new Map();
  for (const t of g.initializer || []) consts.set(t.name, tensorValues(t, file));
  const nodes = [];
  for (const [i, n] of (g.node || []).entries()) {
    const attrs = {};
    for (const a of n.attribute || []) attrs[a.name] = attrValue(a);
    const where = `${file}: node ${i} (${n.opType} '${n.name || n.output[0]}')`;
    if (n.opType === 'Constant') {
      if (!attrs.value) throw new Error(`${where}: a Constant needs a 'value' tensor`);
      consts.set(n.output[0], tensorValues(attrs.value, where));
      continue;
    }
    nodes.push({ op: n.opType, name: n.name || n.output[0], inputs: n.input, outputs: n.output, attrs, where });
  }
  const inputs = (g.input || []).map((v) => v.name).filter((name) => !consts.has(name));
  if (inputs.length !== 1) throw new Error(`${file}: expected one graph input (the image batch), found ${inputs.length}`);
  if ((g.output || []).length !== 1) throw new Error(`${file}: expected one graph output (the logits), found ${(g.output || []).length}`);
  const meta = {};
  for (const p of m.metadataProps || []) meta[p.key] = p.value;
  return {
    graph: { input: inputs[0], output: g.output[0].name, nodes, consts },
    meta: {
      totalDepth: 'hec.total_depth' in meta ? Number(meta['hec.total_depth']) : null,
      ckks: parseJson(meta, 'hec.ckks', file, null),
      classNames: parseJson(meta, 'hec.class_names', file, null),
      inputMean: parseJson(meta, 'hec.input_mean', file, null),
      inputStd: parseJson(meta, 'hec.input_std', file, null),
      inputShape: parseJson(meta, 'hec.input_shape', file, null),
      raw: meta,
    },
  };
}

module.exports = { loadModel, onnxRoot };
