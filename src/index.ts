// vcmoe: varying-coefficient mixture-of-experts models on a WebAssembly core.
export { fit, fitConstant } from "./api/fit.js";
export type { VCMoEFit, ConstantFit, ConstantFitOptions, ModelInfo, FitDiagnostics, ParameterTable } from "./api/fit.js";
export type { Curve } from "./fit/result.js";
export type { FitOptions, KernelName, MethodName, FamilyName } from "./model/spec.js";
export type { VCMoEData, DataOptions } from "./data/dataset.js";
export type { BackendName } from "./core/backend.js";
export { VCMoEInputError, VCMoECoreError, VCMoEFitError } from "./errors.js";
