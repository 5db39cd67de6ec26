'use strict';
// Reads [[pattern, path], ...] on stdin and prints, per pair, whether tuf-js's DelegatedRole
// (@tufjs/models isDelegatedPath, the check its updater runs during the delegation search) delegates the
// path to a role listing only that pattern. DelegatedRole is not exported, so the role comes from parsing
// targets metadata, as the updater gets it.

function delegatedRole(pattern) {
  const targets = Targets.fromJSON({
    _type: 'targets', spec_version: '1.0.31', version: 1, expires: '2030-01-01T00:00:00Z', targets: {},
    delegations: { keys: {}, roles: [{ name: 'r', keyids: [], threshold: 1, terminating: false, paths: [pattern] }] },
  });
  return targets.delegations.roles.r;
}
const { Targets } = require('@tufjs/models');

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const pairs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const answers = pairs.map(([pattern, path]) =>
    delegatedRole(pattern).isDelegatedPath(path));
  process.stdout.write(JSON.stringify(answers));
});
