import { useEffect } from 'react';

export interface ShortcutHandlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  remove: () => void;
  save: () => void;
  layout: () => void;
}

export const shortcutList: [string, string][] = [
  ['Ctrl/⌘ Z', 'Undo'],
  ['Ctrl/⌘ Shift Z, Ctrl Y', 'Redo'],
  ['Ctrl/⌘ C, Ctrl/⌘ V', 'Copy, paste the selected nodes'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Ctrl/⌘ S', 'Save'],
  ['Alt L', 'Auto-layout'],
  ['Shift drag', 'Select several nodes'],
];

/** Typing in a field keeps its own keys: shortcuts act only on the canvas and the page. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('dialog[open]')) return true;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handler: (() => void) | undefined;
      if (mod && key === 'z') handler = event.shiftKey ? handlers.redo : handlers.undo;
      else if (mod && key === 'y') handler = handlers.redo;
      else if (mod && key === 'c' && !window.getSelection()?.toString()) handler = handlers.copy;
      else if (mod && key === 'v') handler = handlers.paste;
      else if (mod && key === 's') handler = handlers.save;
      else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) handler = handlers.remove;
      else if (event.altKey && event.code === 'KeyL') handler = handlers.layout;
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handlers]);
}
