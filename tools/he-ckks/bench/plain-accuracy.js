#!/usr/bin/env node
'use strict';
// The plaintext accuracy of an exported model as he-ckks evaluates it (the
// same ONNX in JavaScript doubles, no encryption), over the first N images of
// an IDX test split:
//   node plain-accuracy.js MODEL.onnx IMAGES LABELS N MEAN STD
// Prints JSON: images, correct, accuracy.
const { loadModel } = require('../lib/onnx');
const { openImages } = require('../lib/images');
const { evaluatePlain } = require('../lib/plain');

const [model, images, labels, n, mean, std] = process.argv.slice(2);
if (!std) {
  console.error('usage: plain-accuracy.js MODEL.onnx IMAGES LABELS N MEAN STD');
  process.exit(2);
}
const { graph, meta } = loadModel(model);
const shape = meta.inputShape ?? [1, 28, 28];
const set = openImages({ images, labels, n: Number(n), offset: 0 }, shape, [Number(mean)], [Number(std)]);
let correct = 0;
for (let k = 0; k < Number(n); k++) {
  const logits = evaluatePlain(graph, { shape: [1, ...shape], data: set.image(k) });
  const predicted = logits.reduce((best, x, i) => (x > logits[best] ? i : best), 0);
  correct += predicted === set.label(k);
}
console.log(JSON.stringify({ model: require('path').basename(model), images: Number(n), correct, accuracy: correct / Number(n) }, null, 2));
