/**
 * @module The document-type classifier: multinomial naive Bayes over word unigrams and bigrams of a
 * document's (OCR) text, its top-vs-runner-up log-odds margin calibrated per type with Platt scaling
 * on a held-out set, and per-type thresholds chosen so that precision on that set is at least 99 %.
 * Below its type's threshold it abstains (`type: null`) and a person sorts the document.
 *
 * Written here rather than taken from npm on purpose: the text classifiers there (`natural`'s
 * BayesClassifier, `wink-naive-bayes-text-classifier`) train fine but give no calibrated probability,
 * no per-class threshold and no control over the vocabulary kept, and their exported models are
 * large and not stable across versions; what we need is ~150 lines, deterministic, and its model a
 * small JSON file committed with a version (`packages/intake/model/document-classifier.json`).
 */
import { documentTypes, type DocumentType } from '../model/intake-model.js';

export interface ClassifierModel {
  readonly version: string;
  readonly classes: readonly DocumentType[];
  readonly vocabulary: readonly string[];
  readonly logPrior: readonly number[];
  /** Per class, per vocabulary feature: log P(feature | class), Laplace-smoothed. */
  readonly logLikelihood: readonly (readonly number[])[];
  /** Per class: Platt's sigmoid over the margin, p = 1 / (1 + exp(-(a·margin + b))). */
  readonly platt: readonly { readonly a: number; readonly b: number }[];
  /** Per class: the calibrated probability at or above which the class is trusted. */
  readonly thresholds: readonly number[];
  readonly training: Readonly<Record<string, unknown>>;
}

export interface Classification {
  readonly type: DocumentType | null;
  readonly bestType: DocumentType;
  readonly confidence: number;
  readonly margin: number;
}

/** Lower-case words of two or more letters (digits and OCR debris drop out), and their bigrams. */
export function features(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z]{2,}/g) ?? [];
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]}_${words[i]}`);
  return out;
}

/** Fewer known features than this and the classifier abstains. */
export const minimumEvidence = 12;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export class DocumentClassifier {
  readonly #index: Map<string, number>;
  constructor(readonly model: ClassifierModel) {
    this.#index = new Map(model.vocabulary.map((f, i) => [f, i]));
  }

  get version(): string {
    return this.model.version;
  }

  /** Log P(class) + Σ log P(feature | class) over known features, per class. */
  scores(text: string): number[] {
    const { logPrior, logLikelihood } = this.model;
    const scores = [...logPrior];
    for (const f of features(text)) {
      const i = this.#index.get(f);
      if (i === undefined) continue;
      for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] ?? 0) + (logLikelihood[c]?.[i] ?? 0);
    }
    return scores;
  }

  classify(text: string): Classification {
    const known = features(text).filter((f) => this.#index.has(f)).length;
    const scores = this.scores(text);
    const { best, margin } = topMargin(scores);
    const platt = this.model.platt[best] ?? { a: 0, b: 0 };
    const confidence = sigmoid(platt.a * margin + platt.b);
    const bestType = this.model.classes[best] ?? 'other';
    const threshold = this.model.thresholds[best] ?? 1;
    // Too little known text to judge (a page OCR could not read): abstain whatever the margin.
    const trusted = confidence >= threshold && known >= minimumEvidence;
    return { type: trusted ? bestType : null, bestType, confidence, margin };
  }
}

export function topMargin(scores: readonly number[]): { best: number; margin: number } {
  let best = 0;
  for (let c = 1; c < scores.length; c++) if ((scores[c] ?? -Infinity) > (scores[best] ?? -Infinity)) best = c;
  let second = -Infinity;
  for (let c = 0; c < scores.length; c++) if (c !== best) second = Math.max(second, scores[c] ?? -Infinity);
  return { best, margin: (scores[best] ?? 0) - second };
}

export interface LabelledText {
  readonly type: DocumentType;
  readonly text: string;
}

/** Trains the naive Bayes part (no calibration yet): vocabulary by document frequency and class purity. */
export function trainNaiveBayes(
  examples: readonly LabelledText[],
  options: { vocabularySize: number; minDocumentFrequency: number; alpha: number },
): Pick<ClassifierModel, 'classes' | 'vocabulary' | 'logPrior' | 'logLikelihood'> {
  const classes = [...documentTypes];
  const df = new Map<string, number[]>();
  const docs = examples.map((e) => {
    const fs = features(e.text);
    const c = classes.indexOf(e.type);
    for (const f of new Set(fs)) {
      let counts = df.get(f);
      if (counts === undefined) df.set(f, (counts = classes.map(() => 0)));
      counts[c] = (counts[c] ?? 0) + 1;
    }
    return { c, fs };
  });
  // Rank by how many documents carry the feature times how much it concentrates in one class.
  const ranked = [...df.entries()]
    .map(([f, counts]) => {
      const total = counts.reduce((s, n) => s + n, 0);
      const purity = Math.max(...counts) / total;
      return { f, total, score: total * purity * purity };
    })
    .filter((r) => r.total >= options.minDocumentFrequency)
    .sort((a, b) => b.score - a.score || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0))
    .slice(0, options.vocabularySize)
    .map((r) => r.f)
    .sort();
  const index = new Map(ranked.map((f, i) => [f, i]));
  const counts = classes.map(() => new Float64Array(ranked.length));
  const classDocs = classes.map(() => 0);
  for (const { c, fs } of docs) {
    classDocs[c] = (classDocs[c] ?? 0) + 1;
    const row = counts[c];
    if (row === undefined) continue;
    for (const f of fs) {
      const i = index.get(f);
      if (i !== undefined) row[i] = (row[i] ?? 0) + 1;
    }
  }
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const logLikelihood = counts.map((row) => {
    const total = row.reduce((s, n) => s + n, 0) + options.alpha * ranked.length;
    return [...row].map((n) => round(Math.log((n + options.alpha) / total)));
  });
  // Uniform priors: the mix that arrives at a clinic is not the generator's.
  const logPrior = classes.map(() => round(Math.log(1 / classes.length)));
  return { classes, vocabulary: ranked, logPrior, logLikelihood };
}

/**
 * Platt scaling of margin → P(correct) with Platt's smoothed targets. The intercept is held at 0, so a
 * margin of 0 (a tie between two types, or no evidence at all) is a coin toss, 0.5, whatever the
 * held-out set looked like; the slope solves the log-loss gradient, which rises with it, by bisection
 * (Newton overshoots when margins are in the hundreds). A type never wrong on the held-out set still
 * gets a finite slope thanks to the smoothed targets.
 */
export function fitPlatt(margins: readonly number[], correct: readonly boolean[]): { a: number; b: number } {
  const positives = correct.filter(Boolean).length;
  const negatives = correct.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const gradient = (a: number): number =>
    margins.reduce((g, m, i) => g + (sigmoid(a * m) - (correct[i] === true ? hi : lo)) * m, 0);
  if (margins.length === 0 || gradient(0) >= 0) return { a: 0, b: 0 };
  let low = 0;
  let high = 1e-3;
  while (gradient(high) < 0 && high < 1e3) high *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (gradient(mid) < 0) low = mid;
    else high = mid;
  }
  return { a: Math.round(((low + high) / 2) * 1e6) / 1e6, b: 0 };
}

/**
 * The lowest threshold at which the predictions of a class at or above it are at least `precision`
 * correct on the held-out set (never below `floor`); 1.01 (never trusted) when no threshold reaches it.
 */
export function chooseThreshold(
  predictions: readonly { confidence: number; correct: boolean }[],
  precision: number,
  floor: number,
): number {
  const sorted = [...predictions].sort((x, y) => y.confidence - x.confidence);
  let best = 1.01;
  let right = 0;
  for (const [i, p] of sorted.entries()) {
    if (p.correct) right++;
    const next = sorted[i + 1];
    // Only cut between distinct confidences.
    if (next !== undefined && next.confidence === p.confidence) continue;
    if (right / (i + 1) >= precision) best = p.confidence;
  }
  return Math.max(best, floor);
}
