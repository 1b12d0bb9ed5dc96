import { describe, expect, it } from 'vitest';
import { displayText } from '../../editor/src/ui/display-text.ts';

describe('bidi controls in displayed names', () => {
  it('shows every embedding, override and isolate control as a visible mark', () => {
    expect(displayText('Invoice\u202Egpj.exe')).toBe('Invoice⟨U+202E⟩gpj.exe');
    const controls = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(displayText(controls)).toBe('⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+202E⟩⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩');
  });
  it('leaves right-to-left letters and other text alone', () => {
    expect(displayText('שלום Acme مرحبا')).toBe('שלום Acme مرحبا');
  });
});
