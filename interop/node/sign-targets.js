'use strict';
// Reads the "signed" part of a targets role on stdin, signs it with @tufjs/models (Metadata.sign, the
// code path tuf-js uses) and a fresh Ed25519 key, and prints {"public": <raw key hex>, "metadata": ...}.
// The key lives only in this process: it exists to show which bytes tuf-js signs, not to be trusted.
const crypto = require('node:crypto');
const { Metadata, Signature } = require('@tufjs/models');

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const signed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const metadata = Metadata.fromJSON('targets', { signed, signatures: [] });
  metadata.sign((bytes) => new Signature({ keyID: raw, sig: crypto.sign(null, bytes, privateKey).toString('hex') }));
  process.stdout.write(JSON.stringify({ public: raw, metadata: metadata.toJSON() }));
});
