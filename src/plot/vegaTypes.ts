// The parts of the vega and vega-lite modules the renderers use.
export interface VegaView {
  runAsync(): Promise<unknown>;
  toSVG(): Promise<string>;
  finalize(): void;
}
export interface VegaModules {
  vega: { parse(spec: unknown): unknown; View: new (runtime: unknown, options: { renderer: string }) => VegaView };
  vegaLite: { compile(spec: unknown): { spec: unknown } };
}
