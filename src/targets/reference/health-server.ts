// The Dev-Server window: GET /health → 200 ok on a loopback port published in a file.
// Run as `node health-server.js <dir>/run/<session>.health.port`.
import { createServer } from 'node:http';
import { renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

const portFile = process.argv[2];
if (!portFile) {
  process.stderr.write('usage: health-server.js <port file>\n');
  process.exit(2);
}

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('not found');
});

// Loopback only: faultline never sends traffic beyond this host.
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  writeAtomically(portFile, `${port}\n`);
  writeAtomically(portFile.replace(/\.port$/, '.pid'), `${process.pid}\n`);
  process.stdout.write(`health server on http://127.0.0.1:${port}/health\n`);
});

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.${process.pid}.tmp`, text);
  renameSync(`${path}.${process.pid}.tmp`, path);
}
