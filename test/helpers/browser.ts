// Headless Chromium for the browser tests: Debian's chromium (or the executable named by
// VCMOE_CHROMIUM) driven by playwright-core; no browser is ever downloaded.
//
// Without a browser the browser tests are skipped, loudly (one line on how to enable them),
// so `npm test` passes on a machine with only Node and npm. CI sets VCMOE_REQUIRE_BROWSER=1
// (.ci/run), which turns a missing browser into a failure: there the tests always run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { test, type TestOptions } from "vitest";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium executable to use, or null when none is found (VCMOE_CHROMIUM=none: act as if none). */
export function chromiumPath(): string | null {
  const env = process.env.VCMOE_CHROMIUM;
  if (env === "none") return null;
  if (env) return env;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** CI (.ci/run) requires the browser tests to run. */
export const BROWSER_REQUIRED = process.env.VCMOE_REQUIRE_BROWSER === "1";

const HOW_TO =
  "install Debian's chromium (`apt-get install -y --no-install-recommends chromium`, as root) " +
  "or set VCMOE_CHROMIUM=/path/to/chromium";

let warned = false;

/**
 * `test` when a browser is available; otherwise a skipped test with a one-line notice, or,
 * when VCMOE_REQUIRE_BROWSER=1, a test that fails saying the browser is missing.
 */
export function browserTest(name: string, options: TestOptions, fn: () => Promise<void>): void {
  const path = chromiumPath();
  if (path && !existsSync(path)) {
    test(name, options, () => { throw new Error(`VCMOE_CHROMIUM=${path} does not exist`); });
    return;
  }
  if (path) { test(name, options, fn); return; }
  if (BROWSER_REQUIRED) {
    test(name, options, () => { throw new Error(`VCMOE_REQUIRE_BROWSER=1 but no Chromium was found (looked in ${CANDIDATES.join(", ")}): ${HOW_TO}`); });
    return;
  }
  if (!warned) {
    warned = true;
    console.warn(`\n*** vcmoe browser tests SKIPPED: no Chromium found; to run them, ${HOW_TO}. ***\n`);
  }
  test.skip(`${name} [skipped: no Chromium]`, fn);
}

/** A file served to the page: a path under the repository, or literal content. */
export interface Served { file?: URL; body?: string; type: string }

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json", ".json": "application/json", ".css": "text/css", ".csv": "text/csv", ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
};

/** Content type by file extension (text/plain when unknown). */
export function contentType(path: string): string {
  const m = /\.[a-z0-9]+$/i.exec(path);
  return (m && TYPES[m[0].toLowerCase()]) || "text/plain; charset=utf-8";
}

/** A page in headless Chromium served from 127.0.0.1; nothing else may be contacted. */
export class BrowserPage {
  page!: Page;
  origin = "";
  readonly errors: string[] = [];
  private server: Server | undefined;
  private context: BrowserContext | undefined;
  private profileDir: string | undefined;

  /** `routes` maps URL paths to files or literal bodies; `resolve` may serve other paths (e.g. a static folder). */
  constructor(private readonly routes: Record<string, Served>, private readonly resolve?: (path: string) => Served | null) {}

  async open(path = "/"): Promise<Page> {
    const executablePath = chromiumPath();
    if (!executablePath) throw new Error(`no Chromium found: ${HOW_TO}`);
    this.server = await this.serve();
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.profileDir = mkdtempSync(join(tmpdir(), "vcmoe-chromium-"));
    this.context = await chromium.launchPersistentContext(this.profileDir, {
      executablePath,
      headless: true,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    });
    const origin = this.origin;
    await this.context.route("**/*", (route) => (route.request().url().startsWith(origin + "/") ? route.continue() : route.abort()));
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.on("pageerror", (e) => this.errors.push(String(e)));
    this.page.on("console", (m) => { if (m.type() === "error") this.errors.push(m.text()); });
    await this.page.goto(origin + path);
    return this.page;
  }

  async close(): Promise<void> {
    await this.context?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    if (this.profileDir) rmSync(this.profileDir, { recursive: true, force: true });
  }

  private serve(): Promise<Server> {
    const s = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const f = this.routes[path] ?? this.resolve?.(path) ?? null;
      if (!f || (f.file && !existsSync(f.file))) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "content-type": f.type, "cache-control": "no-store" });
      res.end(f.file ? readFileSync(f.file) : f.body ?? "");
    });
    return new Promise((resolve, reject) => { s.once("error", reject); s.listen(0, "127.0.0.1", () => resolve(s)); });
  }
}

/** A page that imports the browser bundle and exposes it as window.vcmoe. */
export const BUNDLE_PAGE = `<!doctype html><meta charset="utf-8"><title>vcmoe browser check</title>
<script type="module">
import * as vcmoe from "/vcmoe.browser.js";
window.vcmoe = vcmoe;
window.vcmoeReady = true;
</script>`;

/** Opens BUNDLE_PAGE with dist/vcmoe.browser.js and its worker script served beside it. */
export async function openBundlePage(root: URL): Promise<BrowserPage> {
  for (const f of ["dist/vcmoe.browser.js", "dist/worker.browser.js"]) {
    if (!existsSync(new URL(f, root))) throw new Error(`${f} is missing: run \`npm run build\` (npm test does it)`);
  }
  const js = contentType(".js");
  const bp = new BrowserPage({
    "/": { body: BUNDLE_PAGE, type: contentType(".html") },
    "/vcmoe.browser.js": { file: new URL("dist/vcmoe.browser.js", root), type: js },
    "/vcmoe.browser.js.map": { file: new URL("dist/vcmoe.browser.js.map", root), type: contentType(".map") },
    "/worker.browser.js": { file: new URL("dist/worker.browser.js", root), type: js },
  });
  const page = await bp.open("/");
  await page.waitForFunction(() => (window as any).vcmoeReady === true, undefined, { timeout: 30_000 })
    .catch((e) => { throw new Error(`bundle did not load in Chromium: ${bp.errors.join("; ") || e}`); });
  return bp;
}
