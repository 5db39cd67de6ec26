'use strict';
// Runs `npm ci` unless node_modules already holds exactly what package-lock.json pins.
// npm records the installed tree in node_modules/.package-lock.json; comparing it with the committed
// lockfile lets repeated builds skip the reinstall (and work offline) while a clean checkout installs.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
  } catch (e) {
    return undefined;
  }
}

function upToDate() {
  const pkg = readJson('package.json');
  const lock = readJson('package-lock.json');
  const installed = readJson('node_modules/.package-lock.json');
  if (!pkg || !lock || !installed) return false;
  // package.json edited without regenerating the lockfile: let npm ci report it.
  if (JSON.stringify(pkg.dependencies || {}) !== JSON.stringify((lock.packages[''] || {}).dependencies || {})) {
    return false;
  }
  const wanted = Object.keys(lock.packages).filter((p) => p !== '');
  if (wanted.length !== Object.keys(installed.packages).length) return false;
  return wanted.every((p) => {
    const want = lock.packages[p];
    const have = installed.packages[p];
    const manifest = readJson(path.join(p, 'package.json'));
    return have && have.version === want.version && have.integrity === want.integrity
        && manifest && manifest.version === want.version;
  });
}

if (upToDate()) {
  console.log('node_modules matches package-lock.json; skipping npm ci');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: __dirname, stdio: 'inherit' });
if (result.error) {
  console.error(`cannot run npm (${result.error.message}); install Node.js and npm first`);
  process.exit(1);
}
process.exit(result.status === null ? 1 : result.status);
