#!/usr/bin/env node
'use strict';
// he-ckks: runs a hec-exported polynomial ONNX model under CKKS encryption
// (Microsoft SEAL through node-seal) and compares it with the same model in
// plaintext. See README.md.
const path = require('path');
const { loadModel } = require('./lib/onnx');
const { openImages } = require('./lib/images');
const { evaluatePlain } = require('./lib/plain');
const { PackedEvaluator } = require('./lib/packed');
const { DenseEvaluator } = require('./lib/dense');
const { SimBackend, SealBackend } = require('./lib/backends');

const USAGE = `usage: he-ckks MODEL.onnx (--images IDX | --inputs F32) --labels FILE [-n N] [--offset K]
                [--levels L] [--mean M[,M...] --std S[,S...]] [--packing channel|dense] [--cache-mb MB]
  Encrypts N test images (default 2) from K (default 0), evaluates MODEL
  under CKKS with the parameters of its hec.ckks metadata and L levels
  (default hec.total_depth), and prints a JSON summary on stdout.
  --images: an IDX file of one-channel images; pixels become (x/255 - mean)/std
  with --mean/--std, else hec.input_mean/std. --inputs: the float32 images
  hec eval EXPERIMENT MODEL --dump-inputs F32 --dump-labels LABELS writes from
  any experiment's test split, normalised by hec. --labels: an IDX file or
  one class index a line.
  --packing channel (default): one ciphertext per channel; dense: many
  channels per ciphertext (for large models such as alexnet_small).
  --cache-mb: encoded weight plaintexts kept for the next images (default
  1500 with channel packing, 0 with dense: its keys need the memory).`;

function parseArgs(argv) {
  const a = { n: 2, offset: 0, levels: null, images: null, inputs: null, labels: null, model: null, mean: null, std: null, packing: 'channel', cacheMb: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value\n${USAGE}`);
      return argv[++i];
    };
    const int = (name, v, min) => {
      if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${name} expects an integer >= ${min}, got '${v}'`);
      return Number(v);
    };
    if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--images') a.images = value();
    else if (arg === '--inputs') a.inputs = value();
    else if (arg === '--labels') a.labels = value();
    else if (arg === '-n') a.n = int('-n', value(), 1);
    else if (arg === '--offset') a.offset = int('--offset', value(), 0);
    else if (arg === '--levels') a.levels = int('--levels', value(), 1);
    else if (arg === '--cache-mb') a.cacheMb = int('--cache-mb', value(), 0);
    else if (arg === '--packing') {
      a.packing = value();
      if (!['channel', 'dense'].includes(a.packing)) throw new Error(`--packing expects channel or dense, got '${a.packing}'`);
    }
    else if (arg === '--mean' || arg === '--std') {
      const v = value();
      const list = v.split(',').map(Number);
      if (list.some((x) => !Number.isFinite(x)) || (arg === '--std' && list.some((x) => !(x > 0))))
        throw new Error(`${arg} expects comma-separated numbers${arg === '--std' ? ' > 0' : ''}, got '${v}'`);
      a[arg.slice(2)] = list;
    }
    else if (arg.startsWith('-')) throw new Error(`unknown option '${arg}'\n${USAGE}`);
    else if (a.model) throw new Error(`one model expected, got '${a.model}' and '${arg}'`);
    else a.model = arg;
  }
  if (!a.model || !(a.images || a.inputs) || !a.labels) throw new Error(USAGE);
  if (a.images && a.inputs) throw new Error('--images and --inputs: give one');
  if (a.inputs && (a.mean || a.std)) throw new Error('--mean/--std go with --images: the --inputs images are normalised by hec already');
  return a;
}

function ckksOf(meta, file) {
  const c = meta.ckks;
  if (!c) throw new Error(`${file}: no 'hec.ckks' metadata: export the model with he-translate --he-to-onnx`);
  for (const k of ['ring_dimension', 'first_mod_bits', 'scale_bits', 'special_prime_bits'])
    if (!Number.isInteger(c[k])) throw new Error(`${file}: 'hec.ckks' has no integer '${k}'${c.message ? `: ${c.message}` : ''}`);
  if (meta.totalDepth === null || !Number.isInteger(meta.totalDepth))
    throw new Error(`${file}: no integer 'hec.total_depth' metadata`);
  return c;
}

const argmax = (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const { graph, meta } = loadModel(a.model);
  const c = ckksOf(meta, a.model);
  const levels = a.levels ?? meta.totalDepth;
  const chain = [c.first_mod_bits, ...Array(levels).fill(c.scale_bits), c.special_prime_bits];
  const shape = meta.inputShape ?? [1, 28, 28];
  const [C, H, W] = shape;
  const mean = a.mean ?? meta.inputMean ?? Array(C).fill(0);
  const std = a.std ?? meta.inputStd ?? Array(C).fill(1);
  if (a.images && !a.mean && !meta.inputMean) process.stderr.write('note: no --mean and no hec.input_mean metadata: mean 0\n');
  if (a.images && !a.std && !meta.inputStd) process.stderr.write('note: no --std and no hec.input_std metadata: std 1\n');
  const { image, label: labelOf } = openImages(a, shape, mean, std);

  // Plan on the slots in doubles: rotations for the Galois keys, levels.
  const slots = c.ring_dimension / 2;
  const sim = new SimBackend(slots, levels);
  const Evaluator = a.packing === 'dense' ? DenseEvaluator : PackedEvaluator;
  const plan = new Evaluator(graph, sim);
  const first = image(a.offset);
  const simLogits = plan.decryptLogits(plan.run(first, shape)).logits;
  const plain0 = evaluatePlain(graph, { shape: [1, C, H, W], data: first });
  const simError = Math.max(...simLogits.map((v, i) => Math.abs(v - plain0[i])));
  if (!(simError <= 1e-6 * Math.max(1, ...plain0.map(Math.abs))))
    throw new Error(`internal: the packed evaluation differs from the plaintext one by ${simError}`);
  process.stderr.write(`plan (${a.packing} packing): ${sim.maxLevel} levels of ${levels}, ${sim.steps.size} rotation keys, ` +
    `${sim.counts.rotate} rotations, ${sim.counts.mulPlain} plaintext and ${sim.counts.mul} ciphertext multiplies per image\n`);
  // The levels the evaluation takes are the depth report's claim under test:
  // a difference is a wrong report (or a wrong evaluation), said before keys.
  if (sim.maxLevel !== meta.totalDepth) throw new Error(depthMismatch(sim.maxLevel, meta.totalDepth));

  const SEAL = require('node-seal');
  const seal = await SEAL();
  const be = new SealBackend(seal, { ringDimension: c.ring_dimension, chain, scaleBits: c.scale_bits, steps: sim.steps, security: c.security_bits ?? 128,
    cacheMb: a.cacheMb ?? (a.packing === 'dense' ? 0 : 1500) });
  process.stderr.write(`keys: ${be.keygenSeconds.toFixed(1)} s for N = ${c.ring_dimension}, modulus ${chain.join('+')} bits\n`);
  const ev = new Evaluator(graph, be);
  ev.vectors = plan.vectors;
  if (plan.plans) {
    ev.plans = plan.plans;
    ev.keySteps = plan.keySteps;
  }

  let agree = 0, correct = 0, plainCorrect = 0, maxErr = 0, seconds = 0, cpuSeconds = 0, levelsUsed = 0;
  for (let k = a.offset; k < a.offset + a.n; k++) {
    const x = image(k);
    const plain = evaluatePlain(graph, { shape: [1, C, H, W], data: x });
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const { logits, level } = ev.decryptLogits(ev.run(x, shape));
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    const cu = process.cpuUsage(c0);
    be.endImage();
    seconds += dt;
    cpuSeconds += (cu.user + cu.system) / 1e6;
    levelsUsed = Math.max(levelsUsed, level);
    const err = Math.max(...logits.map((v, i) => Math.abs(v - plain[i])));
    maxErr = Math.max(maxErr, err);
    const label = labelOf(k);
    const pe = argmax(logits), pp = argmax(plain);
    agree += pe === pp;
    correct += pe === label;
    plainCorrect += pp === label;
    const done = k - a.offset + 1;
    process.stderr.write(`image ${done}/${a.n} (#${k}): label ${label} encrypted ${pe} plaintext ${pp} ` +
      `error ${err.toExponential(2)} ${dt.toFixed(2)} s; agreement ${agree}/${done}\n`);
  }
  const result = {
    model: path.basename(a.model),
    input_mean: a.inputs ? null : mean,
    input_std: a.inputs ? null : std,
    inputs: a.inputs ? 'normalised by hec eval --dump-inputs' : 'IDX pixels normalised by he-ckks',
    images: a.n,
    offset: a.offset,
    levels_used: levelsUsed,
    total_depth: meta.totalDepth,
    levels: levels,
    packing: a.packing,
    rotations_per_image: sim.counts.rotate,
    plaintext_multiplies_per_image: sim.counts.mulPlain,
    ciphertext_multiplies_per_image: sim.counts.mul,
    max_abs_error: maxErr,
    agreement: agree / a.n,
    accuracy: correct / a.n,
    plaintext_accuracy: plainCorrect / a.n,
    seconds_per_image: seconds / a.n,
    cpu_seconds_per_image: cpuSeconds / a.n,
    keygen_seconds: be.keygenSeconds,
    galois_keys: be.galoisKeyCount,
    peak_memory_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ckks: { ...c, coeff_modulus_bits: chain, log_q: chain.reduce((s, b) => s + b, 0) },
  };
  console.log(JSON.stringify(result, null, 2));
  if (levelsUsed !== meta.totalDepth) throw new Error(depthMismatch(levelsUsed, meta.totalDepth));
}

function depthMismatch(used, reported) {
  return `the encrypted evaluation uses ${used} levels, the model's depth report says total_depth ${reported}`;
}

main().catch((e) => {
  process.stderr.write(`he-ckks: error: ${e.message}\n`);
  process.exit(1);
});
