// postgres.js 3.4.9 (the latest release) can take the whole process down when PostgreSQL goes
// away under load: a small write queued with setImmediate runs after the connection closed and
// calls write() on a null socket, where nothing can catch it (porsager/postgres#1154, #1208;
// reproduced by test/reliability/db-outage.test.ts). Its teardown also leaves the queued bytes and
// timer behind, so a reconnected socket could never flush small writes again. Until a release
// fixes both, `npm install` / `npm ci` run this (postinstall): the queued write fails the
// connection's queries with CONNECTION_CLOSED (a 503 to the caller), and teardown drops the queue.
// Idempotent; exits non-zero if the driver's code is not what this patch expects.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = 'milepost: porsager/postgres#1208';
const root = join(dirname(fileURLToPath(import.meta.url)), '../node_modules/postgres');

const edits = [
  [
    '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `  function nextWrite(fn) {\n    if (!socket) { // ${MARK}\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  ['    clearImmediate(nextWriteTimer)\n    if (socket) {', '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {'],
  ['    clearImmediate(nextWriteTimer)\n    socket.removeListener(\'data\', data)', "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)"],
];

for (const file of ['src/connection.js', 'cjs/src/connection.js'].map((f) => join(root, f)).filter(existsSync)) {
  let text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  for (const [from, to] of edits) {
    if (text.split(from).length !== 2) {
      console.error(`patch-postgres-js: ${file} is not the postgres.js this patch knows; check whether the release fixed porsager/postgres#1208`);
      process.exit(1);
    }
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
  console.log(`patch-postgres-js: guarded nextWrite in ${file}`);
}
