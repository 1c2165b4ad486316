/**
 * @module Draws planned pages into one PDF with pdfkit (US Letter, standard fonts): text with a text
 * layer, check boxes, tables, insurance cards, a hand-drawn signature stroke (vector ink, no text),
 * and Code 128 barcodes drawn by bwip-js.
 */
import PDFDocument from 'pdfkit';
import bwipjs from 'bwip-js';
import { Rng } from './random.js';
import type { Block, FontFamily, PagePlan } from './layout.js';

const MARGIN = 60;
const WIDTH = 612 - 2 * MARGIN;

const bold = (f: FontFamily): string => (f === 'Times-Roman' ? 'Times-Bold' : `${f}-Bold`);

/** A barcode image (PNG), Code 128, wide enough to survive a 200 dpi fax. */
export function barcodePng(value: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: 'code128', text: value, scale: 3, height: 14, includetext: false, paddingwidth: 10 });
}

function drawSignatureInk(doc: PDFKit.PDFDocument, x: number, baseline: number, seed: number): void {
  const rng = new Rng(seed);
  const width = rng.int(110, 190);
  doc.save().lineWidth(1.6).strokeColor('black');
  doc.moveTo(x, baseline - 3);
  let cx = x;
  while (cx < x + width) {
    const step = rng.int(10, 22);
    doc.bezierCurveTo(
      cx + step * 0.3,
      baseline - rng.int(12, 22),
      cx + step * 0.7,
      baseline + rng.int(0, 4),
      cx + step,
      baseline - rng.int(2, 10),
    );
    cx += step;
  }
  doc.stroke().restore();
}

async function drawBlock(doc: PDFKit.PDFDocument, block: Block, font: FontFamily): Promise<void> {
  const x = MARGIN;
  switch (block.k) {
    case 'title':
      doc.font(bold(font)).fontSize(16).text(block.text, x, doc.y, { width: WIDTH });
      doc.moveDown(0.4);
      return;
    case 'heading':
      doc.moveDown(0.3);
      doc.font(bold(font)).fontSize(12).text(block.text, x, doc.y, { width: WIDTH });
      doc.moveDown(0.2);
      return;
    case 'line':
      doc.font(font).fontSize(11).text(block.text, x, doc.y, { width: WIDTH });
      doc.moveDown(0.25);
      return;
    case 'para':
      doc.font(font).fontSize(11).text(block.text, x, doc.y, { width: WIDTH, lineGap: 2 });
      doc.moveDown(0.5);
      return;
    case 'field':
      doc.font(bold(font)).fontSize(11).text(`${block.label} `, x, doc.y, { continued: true });
      doc.font(font).text(block.value);
      doc.moveDown(0.25);
      return;
    case 'gap':
      doc.moveDown(0.8);
      return;
    case 'check': {
      const y = doc.y;
      doc.save().lineWidth(1).rect(x, y, 10, 10).stroke();
      if (block.checked)
        doc
          .moveTo(x + 2, y + 2)
          .lineTo(x + 8, y + 8)
          .moveTo(x + 8, y + 2)
          .lineTo(x + 2, y + 8)
          .stroke();
      doc.restore();
      doc
        .font(font)
        .fontSize(11)
        .text(block.label, x + 18, y, { width: WIDTH - 18 });
      doc.moveDown(0.3);
      return;
    }
    case 'sig': {
      doc.moveDown(1.2);
      const y = doc.y;
      doc.font(bold(font)).fontSize(11).text(block.label, x, y, { lineBreak: false });
      const start = x + doc.widthOfString(block.label) + 10;
      const baseline = y + 12;
      doc
        .save()
        .lineWidth(0.8)
        .moveTo(start, baseline + 2)
        .lineTo(start + 230, baseline + 2)
        .stroke()
        .restore();
      if (block.mode === 'ink') drawSignatureInk(doc, start + 10, baseline, block.seed);
      doc.text('', x, baseline + 8);
      doc.moveDown(0.6);
      return;
    }
    case 'barcode': {
      const png = await barcodePng(block.value);
      doc.image(png, x, doc.y, { height: 40 });
      doc.y += 48;
      return;
    }
    case 'table': {
      const cols = block.rows[0]?.length ?? 1;
      const colWidth = WIDTH / cols;
      for (const [r, row] of block.rows.entries()) {
        const y = doc.y;
        doc.font(r === 0 ? bold(font) : font).fontSize(10.5);
        for (const [i, cell] of row.entries())
          doc.text(cell, x + i * colWidth, y, { width: colWidth - 6, lineBreak: false });
        doc.text('', x, y + 16);
      }
      doc.moveDown(0.5);
      return;
    }
    case 'card': {
      const y = doc.y;
      const height = 24 + block.lines.length * 17;
      doc.save().lineWidth(1.2).roundedRect(x, y, 320, height, 10).stroke().restore();
      for (const [i, line] of block.lines.entries()) {
        doc
          .font(i === 0 ? bold(font) : font)
          .fontSize(i === 0 ? 13 : 11)
          .text(line, x + 14, y + 12 + i * 17, { lineBreak: false });
      }
      doc.text('', x, y + height + 10);
      return;
    }
  }
}

export interface RenderOptions {
  /**
   * Each page's skew in degrees, as a page fed crooked into a fax machine: drawn rotated here, which
   * costs nothing, rather than rotated as an image afterwards.
   */
  readonly skew?: (page: number) => number;
}

/** One PDF of the planned pages, in order. */
export async function renderPdf(pages: readonly PagePlan[], options: RenderOptions = {}): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: 20 },
    autoFirstPage: false,
    info: { Title: 'Generated test document', CreationDate: new Date(Date.UTC(2026, 0, 1)) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const [i, page] of pages.entries()) {
    doc.addPage();
    doc.save();
    const skew = options.skew?.(i) ?? 0;
    if (skew !== 0) doc.rotate(skew, { origin: [306, 396] });
    doc.y = MARGIN;
    for (const block of page.blocks) await drawBlock(doc, block, page.font);
    if (page.footer !== undefined) {
      doc
        .font(page.font)
        .fontSize(11)
        .text(page.footer, MARGIN, 725, { width: WIDTH, align: 'right', lineBreak: false });
    }
    doc.restore();
  }
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
