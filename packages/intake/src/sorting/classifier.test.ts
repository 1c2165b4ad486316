import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { documentTypes } from '../model/intake-model.js';
import { generateFiles } from '../generator/generate-set.js';
import { planText } from '../generator/layout.js';
import { chooseThreshold, DocumentClassifier, features, fitPlatt, type LabelledText } from './classifier.js';
import { trainClassifier } from './train.js';

/** Generated documents' text straight from their plans (no rendering, no OCR): cheap. */
function texts(seed: number, documents: number): LabelledText[] {
  const out: LabelledText[] = [];
  for (const file of generateFiles({ seed, documents })) {
    for (const doc of file.truth.documents) {
      out.push({ type: doc.type, text: planText(doc.pages.map((i) => file.pages[i]).filter((p) => p !== undefined)) });
    }
  }
  return out;
}

describe('document classifier', () => {
  const train = texts(11, 180);
  const calibration = texts(22, 90);
  const { model, report } = trainClassifier(train, calibration);
  const classifier = new DocumentClassifier(model);

  it('sorts held-out generated documents of every type', () => {
    const held = texts(33, 90);
    const right = held.filter((e) => classifier.classify(e.text).bestType === e.type).length;
    assert.ok(right / held.length >= 0.95, `accuracy ${right}/${held.length}`);
    const sure = held.map((e) => ({ e, c: classifier.classify(e.text) })).filter((x) => x.c.type !== null);
    assert.ok(
      sure.every((x) => x.c.type === x.e.type),
      'a type given without abstaining is right',
    );
    assert.ok(report.perType.length === documentTypes.length);
  });

  it('abstains on text that is like no type', () => {
    const c = classifier.classify('Lorem ipsum dolor sit amet, consectetur adipiscing elit.');
    assert.equal(c.type, null);
    assert.ok(c.confidence < 0.99);
  });

  it('is deterministic: the same texts give the same model and version', () => {
    const again = trainClassifier(train, calibration).model;
    assert.equal(again.version, model.version);
    assert.match(model.version, /^nb-1-[0-9a-f]{12}$/);
    assert.deepEqual(again.thresholds, model.thresholds);
  });

  it('keeps the vocabulary small', () => {
    assert.ok(model.vocabulary.length <= 1500);
    assert.ok(features('Please see this patient').includes('see_this'));
  });
});

describe('calibration', () => {
  it("fits Platt's sigmoid rising with the margin, finite when never wrong", () => {
    const { a, b } = fitPlatt([1, 2, 3, 10, 20, 30], [false, false, true, true, true, true]);
    assert.ok(a > 0 && Number.isFinite(b));
    const never = fitPlatt([5, 10, 20], [true, true, true]);
    assert.ok(Number.isFinite(never.a) && Number.isFinite(never.b));
  });

  it('chooses the lowest threshold that keeps precision at 99 %', () => {
    const preds = [
      { confidence: 0.99, correct: true },
      { confidence: 0.95, correct: true },
      { confidence: 0.9, correct: true },
      { confidence: 0.8, correct: false },
      { confidence: 0.7, correct: true },
    ];
    assert.equal(chooseThreshold(preds, 0.99, 0.5), 0.9);
    assert.equal(chooseThreshold(preds, 0.99, 0.95), 0.95);
    assert.equal(chooseThreshold([{ confidence: 0.9, correct: false }], 0.99, 0.5), 1.01);
  });
});
