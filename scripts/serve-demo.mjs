// npm run demo: builds the browser demo into build/demo/ and serves it on http://127.0.0.1:8080
// (PORT=… to change; HOST=0.0.0.0 to reach it from other machines). Static files only: the
// same folder works from any static host.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { buildDemo } from "./build-demo.mjs";

const { outdir } = await buildDemo();
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".json": "application/json" };
const root = resolve(outdir);
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404, { "content-type": "text/plain" }).end("not found"); return; }
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(res);
});
const port = Number(process.env.PORT ?? 8080), host = process.env.HOST ?? "127.0.0.1";
server.listen(port, host, () => console.log(`vcmoe demo: http://${host}:${port}/  (Ctrl-C to stop)`));
