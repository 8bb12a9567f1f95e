// An engine whose WebAssembly cannot run the core (no fixed-width SIMD: Safari before
// 16.4, old Node) gets the portable JavaScript core by default and a clear error when
// it asks for 'wasm'. The engine is simulated by making WebAssembly.validate refuse the
// module; this file's module instances are its own (vitest isolates test files), so the
// cached verdict does not leak into other tests.
import { afterAll, expect, test, vi } from "vitest";
import { fit, simulate, VCMoEInputError } from "../src/index.js";
import { resolveBackend } from "../src/core/backend.js";

const validate = vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
afterAll(() => validate.mockRestore());

test("without SIMD: the default backend is 'js', and 'wasm' is refused with the reason", async () => {
  expect(resolveBackend(undefined)).toBe("js");
  expect(() => resolveBackend("wasm")).toThrow(VCMoEInputError);
  expect(() => resolveBackend("wasm")).toThrow(/SIMD/);
  const { data } = await simulate({ n: 300, seed: 2, backend: "js" });
  const f = await fit(data, { K: 2, bandwidth: 0.3, grid: 10 });
  expect(f.model.backend).toBe("js");
  expect(validate).toHaveBeenCalled();
});
