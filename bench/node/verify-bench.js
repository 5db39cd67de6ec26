'use strict';
// Node's side of the signature benchmark: crypto.verify exactly as tuf-js calls it
// (@tufjs/models utils/verify: algorithm undefined, key from getPublicKey, hex signature decoded per call),
// with the key object built once, as tuf-core's Verifier caches its parsed key.
// Input on stdin: {"cases": [{label, keytype, scheme, public, messages: [base64], signatures: [hex]}],
//                  "warmupMs", "roundMs", "rounds"}
// Output: {"<label>": [verifications per second of each round, as strings (the Java side reads no floats)]}
const crypto = require('node:crypto');
const { getPublicKey } = require('@tufjs/models/dist/utils/key');

function runFor(batch, ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  let ops = 0;
  do {
    ops += batch();
  } while (process.hrtime.bigint() < end);
  return ops;
}

function bench(c, warmupMs, roundMs, rounds) {
  const key = getPublicKey({ keyType: c.keytype, scheme: c.scheme, keyVal: c.public });
  const messages = c.messages.map((m) => Buffer.from(m, 'base64'));
  const signatures = c.signatures;
  const batch = () => {
    for (let i = 0; i < messages.length; i++) {
      if (!crypto.verify(undefined, messages[i], key, Buffer.from(signatures[i], 'hex'))) {
        throw new Error(`${c.label}: signature ${i} does not verify in Node`);
      }
    }
    return messages.length;
  };
  runFor(batch, warmupMs);
  const perSecond = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    const ops = runFor(batch, roundMs);
    perSecond.push(String(ops / (Number(process.hrtime.bigint() - start) / 1e9)));
  }
  return perSecond;
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = {};
  for (const c of input.cases) out[c.label] = bench(c, input.warmupMs, input.roundMs, input.rounds);
  process.stdout.write(JSON.stringify(out));
});
