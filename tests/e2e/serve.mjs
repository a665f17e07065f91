// A tiny static server for the built portal, on loopback only, with no
// dependencies: pretty URLs (/a/ -> /a/index.html, /a -> 301 /a/), the
// site's /404.html with status 404, and the content types nginx would send.
//
//   node tests/e2e/serve.mjs DIR [PORT]     (PORT 0 or absent: any free port)
//
// Prints one line `listening http://127.0.0.1:PORT/` once it accepts
// connections. Also usable as a module: `await serve(dir, port)`.
import { createServer } from "node:http";
import { stat, readFile } from "node:fs/promises";
import { join, normalize, extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".pdf": "application/pdf",
  ".woff2": "font/woff2",
};

// The same policy as deploy/nginx.conf, so the suite notices anything the
// production headers would block.
export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Content-Security-Policy":
    "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'",
};

async function isFile(path) {
  try { return (await stat(path)).isFile(); } catch { return false; }
}
async function isDir(path) {
  try { return (await stat(path)).isDirectory(); } catch { return false; }
}

export function serve(dir, port = 0) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const send = async (status, file, extra = {}) => {
      const body = file ? await readFile(file) : Buffer.alloc(0);
      const type = file ? (TYPES[extname(file).toLowerCase()] ?? "application/octet-stream") : "text/plain";
      res.writeHead(status, { "Content-Type": type, "Content-Length": body.length, ...SECURITY_HEADERS, ...extra });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { Allow: "GET, HEAD" });
        return res.end();
      }
      const url = new URL(req.url, "http://127.0.0.1");
      let path;
      try { path = decodeURIComponent(url.pathname); } catch { return send(400, null); }
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) return send(403, null);
      if (path.endsWith("/")) {
        if (await isFile(join(file, "index.html"))) return send(200, join(file, "index.html"));
      } else if (await isFile(file)) {
        return send(200, file);
      } else if (await isDir(file) && await isFile(join(file, "index.html"))) {
        return send(301, null, { Location: url.pathname + "/" + url.search });
      }
      const notFound = join(root, "404.html");
      return (await isFile(notFound)) ? send(404, notFound) : send(404, null);
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, port] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node serve.mjs DIR [PORT]");
    process.exit(2);
  }
  const server = await serve(dir, Number(port ?? 0));
  console.log(`listening http://127.0.0.1:${server.address().port}/`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
}
