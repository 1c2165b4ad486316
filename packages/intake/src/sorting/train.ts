/**
 * @module Training and calibrating the document classifier from labelled texts: naive Bayes on the
 * training set, then on the held-out calibration set Platt scaling per predicted type and the lowest
 * threshold per type at which precision is at least 99 %. Deterministic: the same texts give the same
 * model, byte for byte, and its version is a hash of its content.
 */
import { createHash } from 'node:crypto';
import {
  chooseThreshold,
  DocumentClassifier,
  fitPlatt,
  trainNaiveBayes,
  type ClassifierModel,
  type LabelledText,
} from './classifier.js';

export interface TrainOptions {
  readonly vocabularySize?: number;
  readonly minDocumentFrequency?: number;
  readonly alpha?: number;
  /** Precision each type's threshold must reach on the calibration set. Default 0.99. */
  readonly precision?: number;
  /** No threshold below this calibrated probability. Default 0.5. */
  readonly floor?: number;
  /** Recorded in the model: how it was made (seeds, counts). */
  readonly provenance?: Readonly<Record<string, unknown>>;
}

export interface CalibrationReport {
  readonly perType: readonly {
    type: string;
    threshold: number;
    predicted: number;
    trusted: number;
    trustedCorrect: number;
  }[];
  readonly accuracy: number;
}

export function trainClassifier(
  train: readonly LabelledText[],
  calibration: readonly LabelledText[],
  options: TrainOptions = {},
): { model: ClassifierModel; report: CalibrationReport } {
  const nb = trainNaiveBayes(train, {
    vocabularySize: options.vocabularySize ?? 1500,
    minDocumentFrequency: options.minDocumentFrequency ?? 3,
    alpha: options.alpha ?? 0.2,
  });
  const draft = new DocumentClassifier({
    ...nb,
    version: 'draft',
    platt: nb.classes.map(() => ({ a: 1, b: 0 })),
    thresholds: nb.classes.map(() => 0),
    training: {},
  });
  const predictions = calibration.map((e) => {
    const c = draft.classify(e.text);
    return { predicted: c.bestType, margin: c.margin, correct: c.bestType === e.type };
  });
  const platt = nb.classes.map((type) => {
    const mine = predictions.filter((p) => p.predicted === type);
    return mine.length === 0
      ? { a: 0, b: -10 }
      : fitPlatt(
          mine.map((p) => p.margin),
          mine.map((p) => p.correct),
        );
  });
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
  const perType = nb.classes.map((type, c) => {
    const p = platt[c] ?? { a: 0, b: 0 };
    const mine = predictions
      .filter((x) => x.predicted === type)
      .map((x) => ({ confidence: sigmoid(p.a * x.margin + p.b), correct: x.correct }));
    const threshold = Math.floor(chooseThreshold(mine, options.precision ?? 0.99, options.floor ?? 0.5) * 1e6) / 1e6;
    const trusted = mine.filter((x) => x.confidence >= threshold);
    return {
      type,
      threshold,
      predicted: mine.length,
      trusted: trusted.length,
      trustedCorrect: trusted.filter((x) => x.correct).length,
    };
  });
  const body = {
    classes: nb.classes,
    vocabulary: nb.vocabulary,
    logPrior: nb.logPrior,
    logLikelihood: nb.logLikelihood,
    platt,
    thresholds: perType.map((t) => t.threshold),
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  const model: ClassifierModel = {
    version: `nb-1-${hash}`,
    ...body,
    training: {
      ...(options.provenance ?? {}),
      trainingTexts: train.length,
      calibrationTexts: calibration.length,
      calibration: perType,
    },
  };
  return {
    model,
    report: { perType, accuracy: predictions.filter((p) => p.correct).length / Math.max(1, predictions.length) },
  };
}
