// The readable body of an email: its text part, or its HTML turned into text when it has none;
// and the links of the HTML part with their visible text (a phishing signal).
import { convert } from 'html-to-text';
import type { EmailInput } from './email-input.ts';

export interface Link {
  text: string;
  href: string;
}

export interface Body {
  /** Normalised: LF line ends, no trailing spaces, non-breaking spaces as spaces. */
  text: string;
  fromHtml: boolean;
  links: Link[];
}

function normalise(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u202f\u2007]/g, ' ')
    .replace(/\u200b|\u200c|\u200d|\ufeff/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
}

export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      // Every table as rows of cells with space between (layout tables and data tables alike).
      {
        selector: 'table',
        format: 'dataTable',
        options: { colSpacing: 2, maxColumnWidth: 200, uppercaseHeaderCells: false },
      },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'blockquote', options: { trimEmptyLines: true } },
    ],
  });
}

const anchor = /<a\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a>/gi;

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

export function linksOf(html: string | undefined): Link[] {
  if (!html) return [];
  const links: Link[] = [];
  for (const match of html.matchAll(anchor)) {
    const text = decodeEntities((match[3] ?? '').replace(/<[^>]+>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    links.push({ text, href: decodeEntities(match[2] ?? '').trim() });
  }
  return links;
}

export function bodyOf(input: EmailInput): Body {
  const plain = input.text?.trim() && !(input.textFromHtml && input.html) ? input.text : undefined;
  const text = plain ?? (input.html ? htmlToText(input.html) : '');
  return { text: normalise(text), fromHtml: plain === undefined && Boolean(input.html), links: linksOf(input.html) };
}
