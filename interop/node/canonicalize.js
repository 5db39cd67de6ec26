'use strict';
// Reads a JSON array of documents on stdin and writes, for each, one line holding the base64 of its
// canonical form by @tufjs/canonical-json (the encoder tuf-js signs and verifies with). Base64 keeps
// raw control characters and newlines inside canonical strings from breaking the line framing.
const { canonicalize } = require('@tufjs/canonical-json');

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const documents = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (!Array.isArray(documents)) throw new TypeError('expected a JSON array of documents');
  const out = documents.map((d) => Buffer.from(canonicalize(d), 'utf8').toString('base64'));
  process.stdout.write(out.join('\n') + '\n');
});
