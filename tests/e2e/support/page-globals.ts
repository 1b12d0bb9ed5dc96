// The browser globals that code passed to page.evaluate() touches. The Node program has no DOM
// library (adding it would change every server file's types), so page functions reach them as
// `globalThis as unknown as PageGlobals` (written inline: page functions are sent as source text).

export interface PageRect {
  x: number;
  y: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

export interface PageElement {
  getBoundingClientRect(): PageRect;
  style: { transform: string };
}

export interface PageGlobals {
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
    documentElement: { scrollWidth: number };
  };
  localStorage: { getItem(key: string): string | null };
  requestAnimationFrame(callback: (now: number) => void): number;
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => {
    observe(options: { type: string; buffered?: boolean }): void;
  };
  /** Where bench/editor-frames.ts keeps what it records. */
  __frames?: { deltas: number[]; longFrames: number[]; running: boolean };
}
