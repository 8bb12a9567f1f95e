// Test runner settings. `npm test` (build, then `vitest run`) is the one test command;
// .ci/run reads the pass/fail counts from the JSON report written below.
import { defineConfig } from "vitest/config";

/** Where the JSON report goes (jest-style counts: numPassedTests, numFailedTests, ...). */
export const JSON_REPORT = "build/vitest-report.json";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Whole fits and the headless-browser check take up to ~60 s on a loaded
    // 2-core machine; twice that before a test counts as hung.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Always write the JSON report (build/ is git-ignored), so CI and local runs agree.
    reporters: ["default", "json"],
    outputFile: { json: JSON_REPORT },
  },
});
