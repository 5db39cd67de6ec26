'use strict';
// tuf-js's twin of `ota-agent-tuf ... refresh` for the agent CLI benchmark: one refresh per process, same
// options, exit status 0 on success and 1 on any failure with the reason on stderr.
//   node tufjs-refresh-cli.js --metadata-url URL --metadata-dir DIR refresh
// DIR must hold the trusted root.json (and, for a warm run, what the previous refresh stored).
// Like our CLI it makes one attempt per file (fetchRetry 0); the caps and timeouts are tuf-js's defaults.
const { Updater } = require('tuf-js');

function parse(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--metadata-url') o.url = argv[++i];
    else if (a === '--metadata-dir') o.dir = argv[++i];
    else if (!a.startsWith('--') && !o.command) o.command = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.command !== 'refresh' || !o.url || !o.dir) {
    throw new Error('usage: tufjs-refresh-cli.js --metadata-url URL --metadata-dir DIR refresh');
  }
  return o;
}

async function main() {
  const o = parse(process.argv.slice(2));
  const updater = new Updater({ metadataDir: o.dir, metadataBaseUrl: o.url, config: { fetchRetry: 0 } });
  await updater.refresh();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`tufjs-refresh-cli: ${e && e.name ? e.name : 'Error'}: ${e && e.message ? e.message : e}`);
    process.exit(1);
  });
