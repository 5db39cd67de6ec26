'use strict';
// Writes a complete TUF repository with @tufjs/models (the metadata classes tuf-js itself uses) into the
// folder named on stdin as {"dir": "..."}, and prints a manifest of what it wrote as JSON on stdout.
//
// What the repository exercises, so that tuf-core reads metadata it did not write:
// - keys of three types: ed25519 (hex), ecdsa-sha2-nistp256 (PEM) and rsassa-pss-sha256 (PEM);
// - a root rotation: 2.root.json adds an RSA key and raises the root threshold, signed by old and new keys;
// - top-level targets delegating to "firmware" by `paths` and to "hashed" by `path_hash_prefixes`;
// - consistent snapshots: N.ROLE.json metadata, targets stored as HASH.NAME for each of their hashes;
// - a target in a subfolder, a target with sha256 and sha512, `custom` fields;
// - unknown fields in several places (signed, envelope, key, delegated role, target, meta entry), which a
//   client must keep for the signatures to verify.
// Keys are generated per run and never leave this process: the repository is test data, not a trust anchor.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { canonicalize } = require('@tufjs/canonical-json');
const {
  Key, Metadata, MetaFile, Root, Signature, Snapshot, TargetFile, Targets, Timestamp,
} = require('@tufjs/models');
const { Role, DelegatedRole } = require('@tufjs/models/dist/role');
const { Delegations } = require('@tufjs/models/dist/delegations');

const EXPIRES = '2099-12-31T23:59:59Z';
const SPEC_VERSION = '1.0.31';

// A signer: the public key as TUF metadata lists it, its key id, and a sign function for Metadata.sign.
function newKey(kind) {
  let pair;
  let keytype;
  let scheme;
  let publicValue;
  let signBytes;
  if (kind === 'ed25519') {
    pair = crypto.generateKeyPairSync('ed25519');
    keytype = 'ed25519';
    scheme = 'ed25519';
    publicValue = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    signBytes = (bytes) => crypto.sign(null, bytes, pair.privateKey);
  } else if (kind === 'ecdsa') {
    pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    keytype = 'ecdsa';
    scheme = 'ecdsa-sha2-nistp256';
    publicValue = pair.publicKey.export({ format: 'pem', type: 'spki' });
    signBytes = (bytes) => crypto.sign('sha256', bytes, pair.privateKey); // DER, as securesystemslib
  } else if (kind === 'rsa') {
    pair = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });
    keytype = 'rsa';
    scheme = 'rsassa-pss-sha256';
    publicValue = pair.publicKey.export({ format: 'pem', type: 'spki' });
    signBytes = (bytes) => crypto.sign('sha256', bytes, {
      key: pair.privateKey,
      padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
      saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
    });
  } else {
    throw new Error(`unknown key kind ${kind}`);
  }
  const keyJson = { keytype, scheme, keyval: { public: publicValue } };
  // Key id as securesystemslib computes it: SHA-256 over the canonical JSON of the key object.
  const keyID = crypto.createHash('sha256').update(canonicalize(keyJson)).digest('hex');
  const key = new Key({ keyID, keyType: keytype, scheme, keyVal: { public: publicValue } });
  return {
    kind, keyID, key,
    signer: (bytes) => new Signature({ keyID, sig: signBytes(bytes).toString('hex') }),
  };
}

function sign(signed, signers, envelopeExtra) {
  const md = new Metadata(signed, {}, envelopeExtra);
  for (const s of signers) md.sign(s.signer);
  return md;
}

function metadataBytes(md) {
  // Pretty-printed, as python-tuf writes by default: readers must not depend on canonical file bytes.
  return Buffer.from(JSON.stringify(md.toJSON(), null, 1), 'utf8');
}

function main(dir) {
  const metadataDir = path.join(dir, 'metadata');
  const targetsDir = path.join(dir, 'targets');
  fs.mkdirSync(metadataDir, { recursive: true });
  fs.mkdirSync(targetsDir, { recursive: true });

  const rootEd = newKey('ed25519');
  const rootEc = newKey('ecdsa');
  const rootRsa = newKey('rsa');
  const targetsKey = newKey('ecdsa');
  const snapshotKey = newKey('ed25519');
  const timestampKey = newKey('ecdsa');
  const firmwareKey = newKey('ed25519');
  const hashedKey = newKey('ecdsa');

  // --- target files -------------------------------------------------------------------------------------
  const contents = {
    'readme.txt': Buffer.from('tuf-js wrote this repository\n', 'utf8'),
    'images/v1/app.bin': crypto.randomBytes(3000),
    'firmware/device-a.bin': crypto.randomBytes(1500),
    'hashed/data.bin': crypto.randomBytes(700),
  };
  const described = {};
  for (const [p, bytes] of Object.entries(contents)) {
    const hashes = { sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
    if (p === 'images/v1/app.bin') hashes.sha512 = crypto.createHash('sha512').update(bytes).digest('hex');
    described[p] = hashes;
    const { dir: sub, base } = path.posix.parse(p);
    fs.mkdirSync(path.join(targetsDir, sub), { recursive: true });
    // Consistent snapshots: one copy per listed hash, as python-tuf's repository tooling stores them.
    for (const h of Object.values(hashes)) fs.writeFileSync(path.join(targetsDir, sub, `${h}.${base}`), bytes);
  }
  const targetFile = (p, extra) => new TargetFile({
    path: p, length: contents[p].length, hashes: described[p], unrecognizedFields: extra || {},
  });

  // --- delegated roles ----------------------------------------------------------------------------------
  const hashedPathHash = crypto.createHash('sha256').update('hashed/data.bin').digest('hex');
  const firmware = new Targets({
    version: 1, specVersion: SPEC_VERSION, expires: EXPIRES,
    targets: { 'firmware/device-a.bin': targetFile('firmware/device-a.bin', { custom: { hardware: ['rev-a', 'rev-b'] } }) },
  });
  const hashed = new Targets({
    version: 1, specVersion: SPEC_VERSION, expires: EXPIRES,
    targets: { 'hashed/data.bin': targetFile('hashed/data.bin') },
    unrecognizedFields: { 'x-generator': { name: '@tufjs/models', note: 'unknown field in a delegated role' } },
  });

  // --- top-level targets --------------------------------------------------------------------------------
  const delegations = new Delegations({
    keys: { [firmwareKey.keyID]: firmwareKey.key, [hashedKey.keyID]: hashedKey.key },
    roles: {
      firmware: new DelegatedRole({
        name: 'firmware', keyIDs: [firmwareKey.keyID], threshold: 1, terminating: true, paths: ['firmware/*'],
        unrecognizedFields: { 'x-owner': 'device team' },
      }),
      hashed: new DelegatedRole({
        name: 'hashed', keyIDs: [hashedKey.keyID], threshold: 1, terminating: false,
        // Two prefixes, one of them the bin of hashed/data.bin: either may match.
        pathHashPrefixes: [hashedPathHash.slice(0, 2), 'ff'],
      }),
    },
  });
  const targets = new Targets({
    version: 1, specVersion: SPEC_VERSION, expires: EXPIRES,
    targets: {
      'readme.txt': targetFile('readme.txt', { custom: { release: '1.0', flags: { beta: false }, size: 29 } }),
      'images/v1/app.bin': targetFile('images/v1/app.bin', {
        custom: { 'content-type': 'application/octet-stream' },
        'x-unknown-in-target': [1, 'two', null],
      }),
    },
    delegations,
    unrecognizedFields: { 'x-build': { pipeline: 'interop', id: 42 } },
  });

  // --- root 1 and 2 -------------------------------------------------------------------------------------
  const topLevel = (rootKeys, rootThreshold) => ({
    root: new Role({ keyIDs: rootKeys.map((k) => k.keyID), threshold: rootThreshold }),
    targets: new Role({ keyIDs: [targetsKey.keyID], threshold: 1 }),
    snapshot: new Role({ keyIDs: [snapshotKey.keyID], threshold: 1 }),
    timestamp: new Role({ keyIDs: [timestampKey.keyID], threshold: 1 }),
  });
  const keysOf = (list) => Object.fromEntries(list.map((k) => [k.keyID, k.key]));
  const otherKeys = [targetsKey, snapshotKey, timestampKey];
  const root1 = new Root({
    version: 1, specVersion: SPEC_VERSION, expires: EXPIRES, consistentSnapshot: true,
    keys: keysOf([rootEd, rootEc, ...otherKeys]),
    roles: topLevel([rootEd, rootEc], 2),
    unrecognizedFields: { 'x-repository': 'written by write-repository.js' },
  });
  // TUF 5.3.4/5.3.5: root 2 must be signed by a threshold of root 1's keys and of its own.
  const root2 = new Root({
    version: 2, specVersion: SPEC_VERSION, expires: EXPIRES, consistentSnapshot: true,
    keys: keysOf([rootEd, rootEc, rootRsa, ...otherKeys]),
    roles: topLevel([rootEd, rootEc, rootRsa], 3),
    unrecognizedFields: { 'x-repository': 'written by write-repository.js' },
  });

  const signedFiles = {};
  signedFiles['1.root.json'] = sign(root1, [rootEd, rootEc]);
  signedFiles['2.root.json'] = sign(root2, [rootEd, rootEc, rootRsa]);
  signedFiles['1.targets.json'] = sign(targets, [targetsKey]);
  signedFiles['1.firmware.json'] = sign(firmware, [firmwareKey], { 'x-envelope-note': 'unknown envelope field' });
  signedFiles['1.hashed.json'] = sign(hashed, [hashedKey]);
  const bytesOf = {};
  for (const name of ['1.targets.json', '1.firmware.json', '1.hashed.json']) bytesOf[name] = metadataBytes(signedFiles[name]);

  const snapshot = new Snapshot({
    version: 1, specVersion: SPEC_VERSION, expires: EXPIRES,
    meta: {
      'targets.json': new MetaFile({
        version: 1, length: bytesOf['1.targets.json'].length,
        hashes: { sha256: crypto.createHash('sha256').update(bytesOf['1.targets.json']).digest('hex') },
      }),
      'firmware.json': new MetaFile({ version: 1, unrecognizedFields: { 'x-meta-note': 'unknown field in a meta entry' } }),
      'hashed.json': new MetaFile({ version: 1, length: bytesOf['1.hashed.json'].length }),
    },
  });
  signedFiles['1.snapshot.json'] = sign(snapshot, [snapshotKey]);
  bytesOf['1.snapshot.json'] = metadataBytes(signedFiles['1.snapshot.json']);
  const timestamp = new Timestamp({
    version: 1, specVersion: SPEC_VERSION, expires: EXPIRES,
    snapshotMeta: new MetaFile({
      version: 1, length: bytesOf['1.snapshot.json'].length,
      hashes: { sha256: crypto.createHash('sha256').update(bytesOf['1.snapshot.json']).digest('hex') },
    }),
  });
  signedFiles['timestamp.json'] = sign(timestamp, [timestampKey]);

  for (const [name, md] of Object.entries(signedFiles)) {
    fs.writeFileSync(path.join(metadataDir, name), bytesOf[name] || metadataBytes(md));
  }

  process.stdout.write(JSON.stringify({
    metadataFiles: Object.keys(signedFiles),
    // What each file's signatures cover, canonicalized by tuf-js: tuf-core must reproduce these bytes.
    signedCanonicalBase64: Object.fromEntries(Object.entries(signedFiles)
      .map(([name, md]) => [name, Buffer.from(canonicalize(md.signed.toJSON()), 'utf8').toString('base64')])),
    keyIds: Object.fromEntries([
      ['root-ed25519', rootEd], ['root-ecdsa', rootEc], ['root-rsa', rootRsa], ['targets', targetsKey],
      ['snapshot', snapshotKey], ['timestamp', timestampKey], ['firmware', firmwareKey], ['hashed', hashedKey],
    ].map(([name, k]) => [name, k.keyID])),
    targets: Object.fromEntries(Object.entries(contents)
      .map(([p, bytes]) => [p, { base64: bytes.toString('base64'), hashes: described[p] }])),
  }));
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const { dir } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (typeof dir !== 'string') throw new TypeError('expected {"dir": "<output folder>"} on stdin');
  main(dir);
});
