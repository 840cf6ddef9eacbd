'use strict';
// The test images he-ckks encrypts, with their labels: IDX files (MNIST's
// format: one channel, pixels normalised here as (x/255 - mean)/std), or the
// float32 images `hec eval EXPERIMENT MODEL --dump-inputs FILE` writes for
// any experiment's test split (image folders, COVIDx, CIFAR-10, ...:
// already resized and normalised by hec), with the labels of
// `--dump-labels FILE` (one class index a line) or an IDX label file.
const fs = require('fs');
const { readIdx } = require('./idx');

function readFile(file) {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read: ${e.code || e.message}`);
  }
}

function readLabels(file) {
  const buf = readFile(file);
  const gzip = buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  const idx = buf.length >= 3 && buf[0] === 0 && buf[1] === 0 && buf[2] === 0x08;
  if (gzip || idx) return Array.from(readIdx(file).data);
  const lines = buf.toString('utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => {
    if (!/^\d+$/.test(line)) throw new Error(`${file}:${i + 1}: expected a class index, found '${line.slice(0, 40)}'`);
    return Number(line);
  });
}

// { count, image(k): Float64Array of C*H*W values as the network takes
// them, label(k) }.
function openImages(a, shape, mean, std) {
  const [C, H, W] = shape;
  const size = C * H * W;
  const labels = readLabels(a.labels);
  let count, image;
  if (a.inputs) {
    const buf = readFile(a.inputs);
    if (buf.length % (4 * size) !== 0)
      throw new Error(`${a.inputs}: ${buf.length} bytes are not whole float32 images of [${shape.join(', ')}] ` +
        `(${4 * size} bytes each, as hec eval --dump-inputs writes them for this model's experiment)`);
    count = buf.length / (4 * size);
    // A copy: the file's bytes need not sit at a multiple of 4.
    const values = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    image = (k) => Float64Array.from(values.subarray(k * size, (k + 1) * size));
  } else {
    const imgs = readIdx(a.images);
    if (imgs.dims.length !== 3 || imgs.dims[1] !== H || imgs.dims[2] !== W || C !== 1)
      throw new Error(`${a.images}: images of [${imgs.dims.slice(1).join(', ')}]; the model takes [${shape.join(', ')}] ` +
        '(other images: --inputs FILE from hec eval --dump-inputs)');
    count = imgs.dims[0];
    image = (k) => Float64Array.from(imgs.data.subarray(k * H * W, (k + 1) * H * W), (p) => (p / 255 - mean[0]) / std[0]);
  }
  if (labels.length !== count) throw new Error(`${a.labels}: ${labels.length} labels for ${count} images`);
  if (a.offset + a.n > count) throw new Error(`${a.inputs ?? a.images}: holds ${count} images; asked for ${a.n} from ${a.offset}`);
  return { count, image, label: (k) => labels[k] };
}

module.exports = { openImages, readLabels };
