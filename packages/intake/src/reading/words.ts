/**
 * @module Words with their boxes on the page image, from either source: tesseract's TSV (OCR, with a
 * confidence per word) or pdftotext's `-bbox` HTML (a PDF's own text layer, in points, scaled to the
 * page image). Lines are rebuilt from them, so the rest of reading does not care where text came from.
 */

export interface Word {
  readonly text: string;
  /** 0..1; 1 for a text layer. */
  readonly confidence: number;
  /** The box in page-image pixels. */
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** Which line of the page the word is on (ordinal, top to bottom). */
  readonly line: number;
}

/** Words of each page of a tesseract TSV (`tesseract … tsv`), by its `page_num` (1-based) in the order pages were given. */
export function parseTesseractTsv(tsv: string): Word[][] {
  const pages: Word[][] = [];
  const lineIds = new Map<string, number>();
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const [, page, block, par, line, , left, top, width, height, conf, ...rest] = cols;
    const text = rest.join('\t').trim();
    if (text === '') continue;
    const p = Number(page) - 1;
    const key = `${page}/${block}/${par}/${line}`;
    let id = lineIds.get(key);
    if (id === undefined) {
      id = lineIds.size;
      lineIds.set(key, id);
    }
    const x0 = Number(left);
    const y0 = Number(top);
    (pages[p] ??= []).push({
      text,
      confidence: Math.max(0, Number(conf)) / 100,
      x0,
      y0,
      x1: x0 + Number(width),
      y1: y0 + Number(height),
      line: id,
    });
  }
  return pages;
}

const entity = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * Words of each page of pdftotext's `-bbox` output, scaled from points to pixels at `dpi`, lines
 * found by vertical overlap (a word starts a new line when its middle is below the current line's box).
 */
export function parsePdftotextBbox(html: string, dpi: number): Word[][] {
  const scale = dpi / 72;
  const pages: Word[][] = [];
  for (const page of html.split(/<page\b/).slice(1)) {
    const raw: { text: string; x0: number; y0: number; x1: number; y1: number }[] = [];
    for (const m of page.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      raw.push({
        text: entity(m[5] ?? ''),
        x0: Number(m[1]) * scale,
        y0: Number(m[2]) * scale,
        x1: Number(m[3]) * scale,
        y1: Number(m[4]) * scale,
      });
    }
    raw.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
    const words: Word[] = [];
    let line = -1;
    let lineBottom = -Infinity;
    for (const w of raw) {
      if ((w.y0 + w.y1) / 2 > lineBottom) {
        line += 1;
        lineBottom = w.y1;
      }
      words.push({ ...w, confidence: 1, line });
    }
    words.sort((a, b) => a.line - b.line || a.x0 - b.x0);
    pages.push(words);
  }
  return pages;
}

/** The page's text: its words by line, left to right, one line per line. */
export function textOf(words: readonly Word[]): string {
  const lines = new Map<number, Word[]>();
  for (const w of words) {
    const l = lines.get(w.line);
    if (l === undefined) lines.set(w.line, [w]);
    else l.push(w);
  }
  return [...lines.values()]
    .map((ws) =>
      ws
        .sort((a, b) => a.x0 - b.x0)
        .map((w) => w.text)
        .join(' '),
    )
    .join('\n');
}

/** Mean word confidence, 0 with no words. */
export function meanConfidence(words: readonly Word[]): number {
  if (words.length === 0) return 0;
  return words.reduce((s, w) => s + w.confidence, 0) / words.length;
}
