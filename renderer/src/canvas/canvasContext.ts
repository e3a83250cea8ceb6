import { createContext } from 'react';

/** What a node may ask of the canvas around it. The canvas provides one stable object, so nodes never re-render for it. */
export interface CanvasActions {
  /** A card's problem badge: open the problem list at this product. */
  readonly showProblems: (productId: string) => void;
}

export const CanvasActionsContext = createContext<CanvasActions>({ showProblems: () => {} });
