'use strict';
// The two backends PackedEvaluator runs on. Both count levels the same way:
// a ciphertext starts at level 0 and each rescale adds one; a run that
// needs more levels than the modulus chain holds fails with LevelError.
//
// SimBackend computes on the slots in doubles, without encryption: it plans
// a run (the rotation steps that need Galois keys, the levels used) before
// any key is made, and lets the tests check the packing quickly.
// SealBackend is CKKS in Microsoft SEAL (node-seal).

class LevelError extends Error {}

function levelError(levels) {
  return new LevelError(
    `the model needs more than the ${levels} levels of the modulus chain ` +
      `(--levels ${levels}): its evaluation rescales ${levels + 1} times on its deepest path`);
}

const isZero = (v) => {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
};

class SimBackend {
  constructor(slots, levels) {
    this.slots = slots;
    this.levels = levels;
    this.steps = new Set();
    this.maxLevel = 0;
    this.counts = { rotate: 0, mulPlain: 0, mul: 0 };
  }
  encrypt(v) { return { v: Float64Array.from(v), level: 0 }; }
  decrypt(ct) { return ct.v; }
  level(ct) { return ct.level; }
  dropTo(ct, level) { return level > ct.level ? { v: ct.v, level } : ct; }
  rotate(ct, k) {
    const n = this.slots;
    k = ((k % n) + n) % n;
    if (k === 0) return ct;
    this.steps.add(k);
    this.counts.rotate++;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = ct.v[(i + k) % n];
    return { v, level: ct.level };
  }
  add(a, b) {
    const v = new Float64Array(this.slots);
    for (let i = 0; i < v.length; i++) v[i] = a.v[i] + b.v[i];
    return { v, level: Math.max(a.level, b.level) };
  }
  addPlain(ct, p) {
    const v = new Float64Array(this.slots);
    for (let i = 0; i < v.length; i++) v[i] = ct.v[i] + p[i];
    return { v, level: ct.level };
  }
  mac(acc, ct, p) {
    if (isZero(p)) return acc;
    this.counts.mulPlain++;
    if (acc && acc.level !== ct.level) throw new Error('internal: multiply-accumulate across levels');
    const v = acc ? acc.v : new Float64Array(this.slots);
    for (let i = 0; i < v.length; i++) v[i] += ct.v[i] * p[i];
    return { v, level: ct.level };
  }
  rescale(ct) {
    const level = ct.level + 1;
    if (level > this.levels) throw levelError(this.levels);
    this.maxLevel = Math.max(this.maxLevel, level);
    return { v: ct.v, level };
  }
  mul(a, b) {
    this.counts.mul++;
    const v = new Float64Array(this.slots);
    for (let i = 0; i < v.length; i++) v[i] = a.v[i] * b.v[i];
    return this.rescale({ v, level: Math.max(a.level, b.level) });
  }
  free() {}
  collect() {}
  endImage() {}
}

// CKKS with SEAL. `chain` is the modulus chain's bit sizes, `scaleBits` the
// scale, `steps` the rotations that get Galois keys.
class SealBackend {
  constructor(seal, { ringDimension, chain, scaleBits, steps, security, cacheMb }) {
    this.seal = seal;
    const levelsOf = { 128: seal.SecurityLevel.tc128, 192: seal.SecurityLevel.tc192, 256: seal.SecurityLevel.tc256 };
    const parms = seal.EncryptionParameters(seal.SchemeType.ckks);
    parms.setPolyModulusDegree(ringDimension);
    parms.setCoeffModulus(seal.CoeffModulus.Create(ringDimension, Int32Array.from(chain)));
    this.context = seal.Context(parms, true, levelsOf[security] ?? seal.SecurityLevel.tc128);
    if (!this.context.parametersSet())
      throw new Error(`SEAL rejects N = ${ringDimension} with a modulus of ${chain.join(' + ')} bits ` +
        `at ${security}-bit security: ${this.context.parametersErrorMessage ? this.context.parametersErrorMessage() : 'parameters not set'}`);
    this.levels = chain.length - 2;
    this.chain = chain;
    this.scale = Math.pow(2, scaleBits);
    this.slots = ringDimension / 2;
    this.cds = [];
    for (let cd = this.context.firstContextData; cd && this.cds.length <= this.levels; cd = cd.nextContextData) this.cds.push(cd);
    const keyPrimes = this.context.keyContextData.parms.coeffModulus;
    this.specialPrime = keyPrimes[keyPrimes.length - 1];
    this.primes = this.cds.map((cd) => {
      const q = cd.parms.coeffModulus;
      return Number(q[q.length - 1]);
    });
    const t0 = process.hrtime.bigint();
    const kg = seal.KeyGenerator(this.context);
    this.encryptor = seal.Encryptor(this.context, kg.createPublicKey());
    this.decryptor = seal.Decryptor(this.context, kg.secretKey());
    this.relin = kg.createRelinKeys();
    this.galois = kg.createGaloisKeys(Int32Array.from([...steps].map((k) => (k > this.slots / 2 ? k - this.slots : k))));
    this.keygenSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    this.galoisKeyCount = steps.size;
    this.encoder = seal.CKKSEncoder(this.context);
    this.evaluator = seal.Evaluator(this.context);
    this.plains = new Map();
    this.cachedBytes = 0;
    // WebAssembly memory ends at 4 GB; keys and ciphertexts need the rest.
    this.cacheBytes = (cacheMb ?? 1500) * 1024 * 1024;
    this.arena = new Set();
  }
  keep(ct) {
    this.arena.add(ct);
    return ct;
  }
  // Deletes a ciphertext made during this image that is no longer needed.
  free(ct) {
    if (this.arena.delete(ct)) ct.delete();
  }
  // Deletes every ciphertext of this image that is not in `live`.
  collect(live) {
    for (const ct of this.arena) if (!live.has(ct)) this.free(ct);
  }
  // Encodes at `level` directly: an encoder of a context whose modulus is
  // the level's primes and the special prime (so its first parms_id is the
  // level's) does the NTTs of the remaining primes only, instead of all of
  // them and then dropping some. If the parms_id differed, it would encode
  // at the top and switch down.
  encoderAt(level) {
    if (level === 0) return this.encoder;
    if (!this.encoders) this.encoders = new Map();
    if (!this.encoders.has(level)) {
      const seal = this.seal;
      const parms = seal.EncryptionParameters(seal.SchemeType.ckks);
      parms.setPolyModulusDegree(this.slots * 2);
      // The level's primes, then the special prime (as a key level).
      const primes = [...this.cds[level].parms.coeffModulus, this.specialPrime];
      const vec = seal.Vector();
      const moduli = primes.map((q) => seal.Modulus(q));
      vec.from(moduli.map((q) => q.instance), 'Modulus');
      parms.setCoeffModulus(vec);
      const ctx = seal.Context(parms, false, seal.SecurityLevel.none);
      const same = ctx.parametersSet() && ctx.firstParmsId.values.join() === this.cds[level].parmsId.values.join();
      this.encoders.set(level, same ? seal.CKKSEncoder(ctx) : null);
      if (same) (this.contexts ??= []).push(ctx);
    }
    return this.encoders.get(level);
  }
  encode(v, scale, level) {
    const direct = this.encoderAt(level);
    if (direct) return direct.encode(v, scale);
    const pt = this.encoder.encode(v, scale);
    if (level > 0) this.evaluator.plainModSwitchTo(pt, this.cds[level].parmsId, pt);
    return pt;
  }
  encrypt(v) {
    const pt = this.encode(v, this.scale, 0);
    const ct = this.encryptor.encrypt(pt);
    pt.delete();
    return this.keep(ct);
  }
  decrypt(ct) {
    const pt = this.decryptor.decrypt(ct);
    const v = Float64Array.from(this.encoder.decode(pt));
    pt.delete();
    return v;
  }
  level(ct) {
    return this.cds[0].chainIndex - this.context.getContextData(ct.parmsId).chainIndex;
  }
  dropTo(ct, level) {
    if (this.level(ct) >= level) return ct;
    if (level > this.levels) throw levelError(this.levels);
    return this.keep(this.evaluator.cipherModSwitchTo(ct, this.cds[level].parmsId));
  }
  rotate(ct, k) {
    k = ((k % this.slots) + this.slots) % this.slots;
    if (k === 0) return ct;
    return this.keep(this.evaluator.rotateVector(ct, k > this.slots / 2 ? k - this.slots : k, this.galois));
  }
  matchScale(a, b) {
    if (a.scale === b.scale) return b;
    if (Math.abs(a.scale - b.scale) > 1e-6 * a.scale)
      throw new Error(`internal: adding ciphertexts of scales 2^${Math.log2(a.scale).toFixed(3)} and 2^${Math.log2(b.scale).toFixed(3)}`);
    const c = this.keep(b.clone());
    c.setScale(a.scale);
    return c;
  }
  add(a, b) {
    const l = Math.max(this.level(a), this.level(b));
    a = this.dropTo(a, l);
    b = this.matchScale(a, this.dropTo(b, l));
    return this.keep(this.evaluator.add(a, b));
  }
  addPlain(ct, v, key) {
    const level = this.level(ct);
    const id = `${key}@${level}@${ct.scale}`;
    let pt = key ? this.plains.get(id) : null;
    let cached = !!pt;
    if (!pt) {
      pt = this.encode(v, ct.scale, level);
      cached = key ? this.cache(id, pt, level) : false;
    }
    const r = this.evaluator.addPlain(ct, pt);
    if (!cached) pt.delete();
    return this.keep(r);
  }
  // acc + ct * v, with v encoded so that the product rescales to the scale.
  mac(acc, ct, v, key) {
    if (isZero(v)) return acc;
    const level = this.level(ct);
    const id = `${key}@${level}@${ct.scale}`;
    let pt = this.plains.get(id);
    let cached = !!pt;
    if (!pt) {
      pt = this.encode(v, (this.scale * this.primes[level]) / ct.scale, level);
      cached = this.cache(id, pt, level);
    }
    let r = acc;
    if (!acc) r = this.keep(this.evaluator.multiplyPlain(ct, pt));
    else {
      const tmp = this.evaluator.multiplyPlain(ct, pt);
      this.evaluator.add(acc, tmp, acc);
      tmp.delete();
    }
    if (!cached) pt.delete();
    return r;
  }
  // Keeps an encoded plaintext for the next images while the cache stays
  // under cacheBytes (a plaintext holds N words per prime of its level).
  cache(id, pt, level) {
    const bytes = this.slots * 2 * 8 * (this.levels + 1 - level);
    if (this.cachedBytes + bytes > this.cacheBytes) return false;
    this.cachedBytes += bytes;
    this.plains.set(id, pt);
    return true;
  }
  rescale(ct) {
    if (this.level(ct) >= this.levels) throw levelError(this.levels);
    const r = this.evaluator.rescaleToNext(ct);
    if (Math.abs(r.scale - this.scale) < 1e-9 * this.scale) r.setScale(this.scale);
    return this.keep(r);
  }
  mul(a, b) {
    const l = Math.max(this.level(a), this.level(b));
    a = this.dropTo(a, l);
    b = this.dropTo(b, l);
    const p = a === b ? this.evaluator.square(a) : this.evaluator.multiply(a, b);
    this.evaluator.relinearize(p, this.relin, p);
    const r = this.rescale(p);
    p.delete();
    return r;
  }
  // Frees the ciphertexts of one image.
  endImage() {
    for (const ct of this.arena) ct.delete();
    this.arena = new Set();
  }
}

module.exports = { SimBackend, SealBackend, LevelError };
