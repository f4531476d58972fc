// Serves the server-rendered page on 127.0.0.1 (a free port; prints its URL). Usage: node server.js
// snapshot.json, where the file holds { audience, jwks, token, tampered } (the smoke test signs one).
// A real server takes the token from the user's session instead.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { renderer } from './dist/server/render.js';

const { audience, jwks, token, tampered } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const render = await renderer({ jwks, audience });
const server = createServer((req, res) => {
  if (req.url !== '/') return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(render(token, tampered));
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`));
