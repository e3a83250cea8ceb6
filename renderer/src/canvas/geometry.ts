/**
 * Sizes shared by the layout (elk needs every node's size and port positions before anything
 * is drawn) and the node components; canvas.css uses the same numbers. A product card has a
 * fixed-height header, one row per port pair, and a footer for its last run.
 */
export const PRODUCT_WIDTH = 248;
export const PRODUCT_HEADER = 58;
export const PORT_ROW = 22;
export const PRODUCT_FOOTER = 30;
/** Inside a domain box, around its products; the header holds the domain's name. */
export const DOMAIN_PADDING = 20;
export const DOMAIN_HEADER = 46;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box extends Point {
  readonly width: number;
  readonly height: number;
}

export function productHeight(inputs: number, outputs: number): number {
  return PRODUCT_HEADER + Math.max(1, inputs, outputs) * PORT_ROW + PRODUCT_FOOTER;
}

/** Vertical centre of the `index`-th port row, from the top of the card: where its handle sits. */
export function portY(index: number): number {
  return PRODUCT_HEADER + index * PORT_ROW + PORT_ROW / 2;
}

/** Handle ids: one per port, so an edge starts and ends at the ports it joins. */
export const inputHandle = (port: string): string => `in:${port}`;
export const outputHandle = (port: string): string => `out:${port}`;
export const portOfHandle = (handle: string): string => handle.slice(handle.indexOf(':') + 1);

/** React Flow node ids: domains are prefixed so a domain and a product may share a name. */
export const domainNodeId = (domain: string): string => `domain:${domain}`;
