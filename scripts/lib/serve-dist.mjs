// Serves a built dist/ folder the way a static host would: correct MIME types (wasm
// must be application/wasm for streaming compile) and index.html for unknown paths,
// so client-side routes such as /share, /callback and every folder's address
// (/drive/<ids>, /shared/<id>/…) load the app, and a reload stays in the folder. Every answer
// carries the Content-Security-Policy of index.html's <meta> as a header too, plus
// what only a header can say (frame-ancestors: no other site may frame the app);
// a deployment's web server should send the same (README, "Deploying").
// Usage: node serve-dist.mjs DIR PORT [HOST]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const [dir, port, host = '127.0.0.1'] = process.argv.slice(2);
const indexHtml = await readFile(join(dir, 'index.html'), 'utf8');
const meta = indexHtml.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
if (!meta) console.error(`warning: ${dir}/index.html has no Content-Security-Policy <meta>`);
const csp = `${meta ? `${meta[1]}; ` : ''}frame-ancestors 'none'`;
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
  '.jsonld': 'application/ld+json', '.ico': 'image/x-icon',
};

createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  let file = join(dir, path);
  let body;
  try {
    body = await readFile(file);
  } catch {
    file = join(dir, 'index.html');
    body = await readFile(file);
  }
  res.writeHead(200, {
    'content-type': types[extname(file)] || 'application/octet-stream',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}).listen(Number(port), host);
