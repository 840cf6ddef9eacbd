#!/usr/bin/env node
// Runs an exported model.onnx in ONNX Runtime (CPU) over images given as raw
// little-endian float32 [N, C, H, W] (already normalised, as `hec eval
// --dump-inputs` writes them) and prints one line per image:
//   <index> <predicted class> <logit 0> <logit 1> ...
// Usage: node run.js MODEL.onnx INPUTS.f32 [--batch B]
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function fail(message) {
  process.stderr.write(`onnx-check: ${message}\n`);
  process.exit(1);
}

async function main() {
  const args = process.argv.slice(2);
  let batch = 256;
  const files = [];
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--batch') batch = Number(args[++i]);
    else files.push(args[i]);
  }
  if (files.length !== 2 || !(batch > 0))
    fail('usage: node run.js MODEL.onnx INPUTS.f32 [--batch B]');
  const [modelPath, inputPath] = files;
  const session = await ort.InferenceSession.create(modelPath);
  const meta = session.inputMetadata[0];
  if (session.inputNames[0] !== 'input' || !meta || !meta.isTensor)
    fail(`${modelPath}: the graph's input is not a tensor named "input"`);
  const perImage = meta.shape.slice(1);
  if (perImage.some((d) => typeof d !== 'number'))
    fail(`${modelPath}: input dimensions past the batch must be static`);
  const size = perImage.reduce((a, b) => a * b, 1);
  const bytes = fs.readFileSync(inputPath);
  if (bytes.length % (4 * size) !== 0)
    fail(`${inputPath}: ${bytes.length} bytes is not a whole number of ` +
         `[${perImage.join(', ')}] float32 images`);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset,
                               bytes.length / 4);
  const count = all.length / size;
  const lines = [];
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const data = all.slice(start * size, (start + n) * size);
    const input = new ort.Tensor('float32', data, [n, ...perImage]);
    const out = (await session.run({input})).logits;
    const classes = out.dims[1];
    for (let i = 0; i < n; ++i) {
      const row = Array.from(out.data.subarray(i * classes, (i + 1) * classes));
      let best = 0;
      for (let c = 1; c < classes; ++c)
        if (row[c] > row[best]) best = c;
      lines.push(`${start + i} ${best} ${row.map((v) => v.toPrecision(9)).join(' ')}`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => fail(e.message || String(e)));
