'use strict';
// Reads IDX files (MNIST's format), plain or gzip-compressed.
const fs = require('fs');
const zlib = require('zlib');

function readIdx(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read: ${e.code || e.message}`);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = zlib.gunzipSync(buf);
    } catch (e) {
      throw new Error(`${file}: not valid gzip: ${e.message}`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08)
    throw new Error(`${file}: not an IDX file of unsigned bytes (magic 0x0000 08xx)`);
  const rank = buf[3];
  const dims = [];
  for (let i = 0; i < rank; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const count = dims.reduce((a, d) => a * d, 1);
  if (buf.length < offset + count) throw new Error(`${file}: holds ${buf.length - offset} bytes of data, its header says ${count}`);
  return { dims, data: buf.subarray(offset, offset + count) };
}

module.exports = { readIdx };
