/** Bad input from the caller; `argument` names the offending argument (e.g. "data.y"). */
export class VCMoEInputError extends Error {
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = "VCMoEInputError";
    this.argument = argument;
  }
}

/** The numerical core failed (a WebAssembly trap or abort), wrapped with context. */
export class VCMoECoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "VCMoECoreError";
  }
}

/** The fit could not be completed (e.g. every start of the initialisation failed). */
export class VCMoEFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VCMoEFitError";
  }
}
