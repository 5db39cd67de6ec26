'use strict';
// Runs the tuf-js updater (the npm client we did not write) against a repository served over HTTP, and
// reports what it trusted and downloaded. Input on stdin:
//   {"metadataBaseUrl", "targetBaseUrl", "metadataDir", "targetDir", "targets": ["path", ...], "bearerToken"}
// clockShiftSeconds (optional) runs tuf-js that far ahead of real time, as the server under test runs
// (its OTA_TEST_CLOCK_FILE), so expiry is judged in the same virtual time on both sides.
// download (optional, default true): false reports each found target's length, hashes and custom only.
// bearerToken (optional) is sent as "Authorization: Bearer ..." with every request: a device's director
// repository (device-api.md) answers only to the token of the device's last check-in.
// metadataDir must already hold the trust anchor root.json (and, on a later run, what tuf-js persisted).
// Output on stdout: {"refreshed": true, "rootVersion": N, "targets": {path: {"found", "file", "error"}}}
// or {"refreshed": false, "error": {"name", "message"}} when refresh itself is refused.
// A refused download is reported per target, so one run can show both acceptances and rejections; the
// script exits non-zero only for bad input or a bug, never for a repository tuf-js rejects.
const fs = require('node:fs');
const path = require('node:path');
const { BaseFetcher, Updater } = require('tuf-js');
// Not in tuf-js's index, but its updater tells "no newer root" (403/404) from a failure by this class, so a
// fetcher of our own must throw it (tuf-js is pinned in package-lock.json).
const { DownloadHTTPError } = require('tuf-js/dist/error');

// tuf-js's own fetcher sends no custom header; this one does what it does (one attempt, the body as a
// stream, a failure for any answer but 2xx) with the device's token added.
class BearerFetcher extends BaseFetcher {
  constructor(token) {
    super();
    this.token = token;
  }

  async fetch(url) {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!response.ok || !response.body) {
      throw new DownloadHTTPError(`Failed to download ${url}`, response.status);
    }
    return response.body;
  }
}

function describe(error) {
  return { name: error && error.constructor ? error.constructor.name : 'Error', message: String(error && error.message) };
}

// tuf-js reads the time with `new Date()` when it checks expiry; every such reading gets the shift.
function shiftClock(seconds) {
  const RealDate = Date;
  const shift = seconds * 1000;
  global.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + shift);
      else super(...args);
    }

    static now() {
      return RealDate.now() + shift;
    }
  };
}

async function main(input) {
  if (typeof input.clockShiftSeconds === 'number' && input.clockShiftSeconds !== 0) shiftClock(input.clockShiftSeconds);
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
    fetcher: typeof input.bearerToken === 'string' ? new BearerFetcher(input.bearerToken) : undefined,
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
      if (input.download === false) {
        targets[targetPath] = { found: true, length: info.length, hashes: info.hashes, custom: info.custom };
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
