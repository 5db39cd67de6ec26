'use strict';
// Runs the tuf-js updater (the npm client we did not write) against a repository served over HTTP, and
// reports what it trusted and downloaded. Input on stdin:
//   {"metadataBaseUrl", "targetBaseUrl", "metadataDir", "targetDir", "targets": ["path", ...]}
// metadataDir must already hold the trust anchor root.json (and, on a later run, what tuf-js persisted).
// Output on stdout: {"refreshed": true, "rootVersion": N, "targets": {path: {"found", "file", "error"}}}
// or {"refreshed": false, "error": {"name", "message"}} when refresh itself is refused.
// A refused download is reported per target, so one run can show both acceptances and rejections; the
// script exits non-zero only for bad input or a bug, never for a repository tuf-js rejects.
const fs = require('node:fs');
const path = require('node:path');
const { Updater } = require('tuf-js');

function describe(error) {
  return { name: error && error.constructor ? error.constructor.name : 'Error', message: String(error && error.message) };
}

async function main(input) {
  for (const field of ['metadataBaseUrl', 'targetBaseUrl', 'metadataDir', 'targetDir']) {
    if (typeof input[field] !== 'string') throw new TypeError(`missing "${field}"`);
  }
  fs.mkdirSync(input.targetDir, { recursive: true });
  const updater = new Updater({
    metadataDir: input.metadataDir,
    metadataBaseUrl: input.metadataBaseUrl,
    targetDir: input.targetDir,
    targetBaseUrl: input.targetBaseUrl,
    // One attempt per file: a refused or missing file must show up as a failure, not be retried.
    config: { fetchRetry: 0 },
  });
  try {
    await updater.refresh();
  } catch (e) {
    return { refreshed: false, error: describe(e) };
  }
  // tuf-js persists every root it accepts as root.json: its version is the root tuf-js now trusts.
  const root = JSON.parse(fs.readFileSync(path.join(input.metadataDir, 'root.json'), 'utf8'));
  const targets = {};
  for (const targetPath of input.targets || []) {
    try {
      const info = await updater.getTargetInfo(targetPath);
      if (!info) {
        targets[targetPath] = { found: false };
        continue;
      }
      const file = await updater.downloadTarget(info);
      targets[targetPath] = { found: true, file, length: info.length, custom: info.custom };
    } catch (e) {
      targets[targetPath] = { found: false, error: describe(e) };
    }
  }
  return { refreshed: true, rootVersion: root.signed.version, targets };
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  main(JSON.parse(Buffer.concat(chunks).toString('utf8')))
    .then((out) => process.stdout.write(JSON.stringify(out)))
    .catch((e) => {
      console.error(e && e.stack ? e.stack : e);
      process.exit(2);
    });
});
