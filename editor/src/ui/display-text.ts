// Names people typed are shown as written, never as their bidi controls would arrange them: a
// right-to-left override (U+202E) in "Invoice‮gpj.exe" would otherwise show it as "Invoiceexe.jpg"
// and spill into the text around it. The embedding, override and isolate controls (U+202A–U+202E,
// U+2066–U+2069) are shown as visible marks; callers also isolate the name (<bdi>, or the
// `.user-text` class) so right-to-left letters stay inside it.

const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** The text with each bidi embedding, override or isolate control shown as `⟨U+202E⟩`. */
export function displayText(text: string): string {
  return text.replace(bidiControls, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
