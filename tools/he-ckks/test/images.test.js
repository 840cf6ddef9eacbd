'use strict';
// The images and labels he-ckks encrypts (lib/images.js): labels one class a
// line (LF or CRLF) or IDX; float32 images of any channel count.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { openImages, readLabels } = require('../lib/images');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'he-ckks-images-'));
const file = (name, bytes) => {
  fs.writeFileSync(path.join(dir, name), bytes);
  return path.join(dir, name);
};

test('labels: one class a line with LF or CRLF endings; a bad line is named', () => {
  assert.deepStrictEqual(readLabels(file('lf.txt', '9\n2\n1\n')), [9, 2, 1]);
  assert.deepStrictEqual(readLabels(file('crlf.txt', '9\r\n2\r\n1\r\n')), [9, 2, 1]);
  assert.throws(() => readLabels(file('bad.txt', '9\ncat\n')), /bad\.txt:2: expected a class index, found 'cat'/);
});

test('--inputs: float32 images of the model\'s shape, three channels', () => {
  const values = Float32Array.from({ length: 2 * 12 }, (_, i) => i / 10);
  const inputs = file('x.f32', Buffer.from(values.buffer));
  const set = openImages({ inputs, labels: file('y.txt', '0\n1\n'), n: 2, offset: 0 }, [3, 2, 2]);
  assert.strictEqual(set.count, 2);
  assert.strictEqual(set.image(1).length, 12);
  assert.ok(Math.abs(set.image(1)[0] - 1.2) < 1e-6);
  assert.strictEqual(set.label(1), 1);
  assert.throws(() => openImages({ inputs, labels: file('z.txt', '0\n1\n'), n: 3, offset: 0 }, [3, 2, 2]),
    /x\.f32: holds 2 images; asked for 3 from 0/);
  assert.throws(() => openImages({ inputs, labels: file('w.txt', '0\n'), n: 1, offset: 0 }, [3, 2, 2]),
    /w\.txt: 1 labels for 2 images/);
});
