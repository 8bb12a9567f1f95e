export interface ExportedValue { name: string; local: string; file: string }
export function valueExports(entry?: string): ExportedValue[];
export function docOf(file: string, name: string): { kind: string | null; doc: string | null };
export function checkDocs(): { exports: number; problems: string[] };
