// vcmoe: varying-coefficient mixture-of-experts models on a WebAssembly core.
export { fit, fitConstant } from "./api/fit.js";
export type { VCMoEFit, ConstantFit, ConstantFitOptions, ConstantComponent, ModelInfo, FitDiagnostics, ParameterTable } from "./api/fit.js";
export type { Curve } from "./fit/result.js";
export type { FitOptions, KernelName, MethodName, FamilyName, DispersionMode } from "./model/spec.js";
export type { VCMoEData, DataOptions } from "./data/dataset.js";
export type { BackendName } from "./core/backend.js";
export { VCMoEInputError, VCMoECoreError, VCMoEFitError } from "./errors.js";
export { predict } from "./api/predict.js";
export type { PredictData, Prediction } from "./api/predict.js";
export { simulate } from "./simulate/simulate.js";
export type { SimulateOptions, SimulatedData } from "./simulate/simulate.js";
export { wsTruth, mixTruth } from "./simulate/scenarios.js";
export type { TrueCurves, MixSettings } from "./simulate/scenarios.js";
export { formatSummary } from "./api/summary.js";
export { parseCsvColumns, formatCsv } from "./io/csv.js";
