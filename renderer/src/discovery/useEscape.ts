import { useEffect, useRef } from 'react';

/**
 * Escape anywhere on the page runs `onEscape` (back one step in the discovery views), unless
 * something nearer used it (a field's own Escape, the command palette, a dialog), the key is
 * pressed in a form field, or the editor is presenting (Escape leaves that first).
 */
export function useEscape(onEscape: () => void): void {
  const handler = useRef(onEscape);
  handler.current = onEscape;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target instanceof Element ? event.target : undefined;
      if (target?.closest('dialog, [role="dialog"], input, textarea, select, .cm-editor')) return;
      // While presenting, Escape leaves presentation mode first (editor/presentation.ts).
      if (document.querySelector('.editor-presenting') !== null) return;
      event.preventDefault();
      handler.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
