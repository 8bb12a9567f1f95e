// Regenerates examples/data/ws_n1000.csv from the package's own simulator
// ("ws" scenario, n = 1000, seed 2026). Run after `npm run build`.
import { writeFileSync } from "node:fs";
import { simulate, formatCsv } from "../dist/index.js";

const { data, component } = await simulate({ n: 1000, seed: 2026 });
writeFileSync(new URL("../examples/data/ws_n1000.csv", import.meta.url),
  formatCsv({ y: data.y, u: data.u, z1: data.z.z1, x1: data.x.x1, component }));
console.log("wrote examples/data/ws_n1000.csv");
