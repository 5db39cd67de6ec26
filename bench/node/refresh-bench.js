'use strict';
// tuf-js's side of the refresh benchmark: per iteration a fresh metadata folder holding only root v1, a new
// tuf-js Updater, refresh(), then getTargetInfo() for every path (no target download: look-up only).
// Warm-up iterations first (V8 compiles the hot paths), then timed ones.
// Input on stdin: {"metadataBaseUrl", "rootFile", "workDir", "paths": [...], "warmups", "iterations"}
// Output: {"timesMs": [milliseconds as strings (the Java side reads no floats)], "found": <look-ups that found their target in the last iteration>}
const fs = require('node:fs');
const path = require('node:path');
const { Updater } = require('tuf-js');

async function once(input) {
  const dir = fs.mkdtempSync(path.join(input.workDir, 'tufjs-'));
  fs.copyFileSync(input.rootFile, path.join(dir, 'root.json'));
  const start = process.hrtime.bigint();
  const updater = new Updater({ metadataDir: dir, metadataBaseUrl: input.metadataBaseUrl });
  await updater.refresh();
  let found = 0;
  for (const p of input.paths) {
    if (await updater.getTargetInfo(p)) found++;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(dir, { recursive: true, force: true });
  if (found !== input.paths.length) throw new Error(`tuf-js found ${found} of ${input.paths.length} targets`);
  return { ms, found };
}

async function main(input) {
  for (let i = 0; i < input.warmups; i++) await once(input);
  const timesMs = [];
  let found = 0;
  for (let i = 0; i < input.iterations; i++) {
    const r = await once(input);
    timesMs.push(String(r.ms));
    found = r.found;
  }
  return { timesMs, found };
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
