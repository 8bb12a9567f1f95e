// Public surface of the inference module.
export { standardErrors } from "./standardErrors.js";
export type { StandardErrorOptions, StandardErrors, CurveStandardErrors } from "./standardErrors.js";
export { confidenceBands } from "./bands.js";
export type { ConfidenceBandOptions, ConfidenceBands, BandCurve, BandMethod } from "./bands.js";
export type { BootstrapDetails } from "./bootstrap.js";
export type { ExtremeValueDetails } from "./extremeValue.js";
export { extremeValueCritical } from "./extremeValue.js";
export { kernelConstants } from "./kernelConstants.js";
export type { KernelConstants } from "./kernelConstants.js";
export type { CurveKey } from "./model.js";
