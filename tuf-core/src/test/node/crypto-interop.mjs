// Cross-implementation check of tuf-core's signatures against Node's own crypto (OpenSSL), no npm packages.
//
//   node crypto-interop.mjs sign     prints {"data": hex, "cases": [{name, keytype, scheme, public, sig}]}:
//                                    fresh keys of every TUF key type sign the same bytes; RSA-PSS twice,
//                                    with salt length 32 (digest) and the maximum.
//   node crypto-interop.mjs verify   reads {"cases": [{keytype, scheme, public_hex, data, sig}]} on stdin and
//                                    prints {"results": [true|false, ...]} in the same order. public_hex is
//                                    the UTF-8 of the key's "public" value as hex: the Java side writes
//                                    canonical JSON, whose raw line breaks in PEM JSON.parse would refuse.
//
// Keys are in the formats TUF metadata uses: ed25519 as 64 hex characters, ecdsa and rsa as PEM SPKI.
// Verification: DER ECDSA; PSS with automatic salt-length recovery (Node's default for verify).
import crypto from 'node:crypto';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function ed25519PublicHex(publicKey) {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('hex');
}

function sign() {
  // Not ASCII on purpose: bytes, not text, are signed.
  const data = Buffer.from('{"signed":"tuf-core interop","\u00e9":"\ud83d\udd11"}', 'utf8');
  const cases = [];

  const ed = crypto.generateKeyPairSync('ed25519');
  cases.push({ name: 'ed25519', keytype: 'ed25519', scheme: 'ed25519', public: ed25519PublicHex(ed.publicKey),
    sig: crypto.sign(null, data, ed.privateKey).toString('hex') });

  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  cases.push({ name: 'ecdsa-p256', keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256',
    public: ec.publicKey.export({ format: 'pem', type: 'spki' }),
    sig: crypto.sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'der' }).toString('hex') });

  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });
  const rsaPem = rsa.publicKey.export({ format: 'pem', type: 'spki' });
  for (const [name, saltLength] of [['rsa-pss-salt-32', 32], ['rsa-pss-salt-max', crypto.constants.RSA_PSS_SALTLEN_MAX_SIGN]]) {
    cases.push({ name, keytype: 'rsa', scheme: 'rsassa-pss-sha256', public: rsaPem,
      sig: crypto.sign('sha256', data, { key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength })
        .toString('hex') });
  }
  process.stdout.write(JSON.stringify({ data: data.toString('hex'), cases }));
}

function verifyOne(c) {
  const publicValue = Buffer.from(c.public_hex, 'hex').toString('utf8');
  const data = Buffer.from(c.data, 'hex');
  const sig = Buffer.from(c.sig, 'hex');
  try {
    switch (c.scheme) {
      case 'ed25519': {
        const key = crypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicValue, 'hex')]),
          format: 'der', type: 'spki' });
        return crypto.verify(null, data, key, sig);
      }
      case 'ecdsa-sha2-nistp256':
        return crypto.verify('sha256', data, { key: crypto.createPublicKey(publicValue), dsaEncoding: 'der' }, sig);
      case 'rsassa-pss-sha256':
        return crypto.verify('sha256', data, { key: crypto.createPublicKey(publicValue),
          padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }, sig);
      default:
        return false;
    }
  } catch (e) {
    return false;
  }
}

async function verify() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  process.stdout.write(JSON.stringify({ results: input.cases.map(verifyOne) }));
}

const mode = process.argv[2];
if (mode === 'sign') sign();
else if (mode === 'verify') await verify();
else {
  process.stderr.write('usage: node crypto-interop.mjs sign|verify\n');
  process.exit(2);
}
