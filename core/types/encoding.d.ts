// The WHATWG Encoding API exists in every runtime core runs in (Node, browsers, workers),
// but TypeScript only declares it in the DOM and Node libs, which the pure core must not load.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
