/**
 * @module The recorder: attached to a playwright-core page, it collects what the person demonstrates
 * (through the capture script and an exposed binding, main frame only, in order) and turns it into
 * a draft screen map. Each report is checked before it is kept: the page's own script could call
 * the binding too, so anything not shaped like a report is dropped, and every path is generalised
 * to a URL pattern here (the ids in it — possibly a patient's — are never kept).
 */
import type { Page } from 'playwright-core';
import type { FieldKind } from '../model/screen-map.js';
import { captureScript, recorderBinding } from './capture-script.js';
import { draftScreenMap, type DraftMap } from './draft-map.js';
import { pathPattern } from './path-pattern.js';
import type { RecordedEvent, RecordedField, Recording } from './recording.js';

export interface RecorderOptions {
  readonly connectionId: string;
  readonly site: string;
}

const kinds: readonly FieldKind[] = ['text', 'markdown', 'json', 'date', 'dropdown'];

export class Recorder {
  readonly #events: RecordedEvent[] = [];
  #origin = '';

  private constructor(
    private readonly page: Page,
    private readonly options: RecorderOptions,
  ) {}

  /** Attaches to `page` before it loads anything: every page it shows from now on is watched. */
  static async attach(page: Page, options: RecorderOptions): Promise<Recorder> {
    const recorder = new Recorder(page, options);
    await page.exposeBinding(recorderBinding, (source, report: unknown) => {
      if (source.frame !== page.mainFrame()) return;
      recorder.#take(source.frame.url(), report);
    });
    await page.addInitScript({ content: captureScript });
    return recorder;
  }

  /** What was recorded so far, in order. */
  get events(): readonly RecordedEvent[] {
    return this.#events;
  }

  /** Waits until the page has delivered its reports (the binding answers in order). */
  async settle(): Promise<void> {
    await this.page.waitForLoadState('domcontentloaded').catch(() => undefined);
    await this.page.evaluate(() => 0).catch(() => undefined);
  }

  recording(): Recording {
    return {
      connectionId: this.options.connectionId,
      site: this.options.site,
      origin: this.#origin,
      events: [...this.#events],
    };
  }

  draft(): DraftMap {
    return draftScreenMap(this.recording());
  }

  #take(url: string, report: unknown): void {
    if (typeof report !== 'object' || report === null) return;
    const r = report as Record<string, unknown>;
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return;
    }
    if (origin === 'null') return;
    // The pattern of the path the event happened on, on this page's origin.
    const pattern = pathPattern(`${origin}${typeof r['path'] === 'string' ? r['path'] : '/'}`);
    // The EHR's origin is the first one shown; pages of another (a sign-in provider, a help site) are not its screens.
    if (this.#origin === '') this.#origin = origin;
    else if (origin !== this.#origin) return;
    const str = (v: unknown, max = 200): string => (typeof v === 'string' ? v.slice(0, max) : '');
    const element = (v: unknown): { role: string | null; name: string } => {
      const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
      return { role: typeof o['role'] === 'string' ? o['role'] : null, name: str(o['name']) };
    };
    switch (r['type']) {
      case 'page': {
        const landmarks = Array.isArray(r['landmarks'])
          ? r['landmarks'].map(element).filter((l) => l.role !== null)
          : [];
        const banner = r['banner'] as Record<string, unknown> | null;
        this.#events.push({
          type: 'page',
          pattern,
          landmarks: landmarks.map((l) => ({ role: l.role!, name: l.name })),
          // A record's page (an id in its address) may be headed by the patient's name: its headings are not kept.
          headings:
            Array.isArray(r['headings']) && !pattern.includes(':')
              ? r['headings'].map((h) => str(h)).filter((h) => h !== '')
              : [],
          hasPassword: r['hasPassword'] === true,
          banner:
            typeof banner === 'object' && banner !== null
              ? {
                  ...element(banner),
                  role: element(banner).role ?? 'region',
                  labels: Array.isArray(banner['labels'])
                    ? banner['labels'].map((l) => str(l, 40)).filter((l) => l !== '')
                    : [],
                }
              : null,
        });
        return;
      }
      case 'fill': {
        const f = (typeof r['field'] === 'object' && r['field'] !== null ? r['field'] : {}) as Record<string, unknown>;
        const kind = kinds.includes(f['kind'] as FieldKind) ? (f['kind'] as FieldKind) : 'text';
        const field: RecordedField = {
          role: typeof f['role'] === 'string' ? f['role'] : null,
          name: str(f['name']),
          tag: str(f['tag'], 20),
          type: str(f['type'], 20),
          kind,
          ...(typeof f['dateFormat'] === 'string' ? { dateFormat: f['dateFormat'].slice(0, 40) } : {}),
          maxLength: typeof f['maxLength'] === 'number' && f['maxLength'] >= 0 ? f['maxLength'] : null,
          required: f['required'] === true,
          secret: f['secret'] === true,
          choices: Array.isArray(f['choices']) ? f['choices'].map((c) => str(c)).slice(0, 50) : [],
          form: str(f['form']),
        };
        this.#events.push({ type: 'fill', pattern, field });
        return;
      }
      case 'click':
        this.#events.push({
          type: 'click',
          pattern,
          role: element(r).role,
          name: r['data'] === true ? '' : element(r).name,
          data: r['data'] === true,
          submits: r['submits'] === true,
        });
        return;
      case 'submit':
        this.#events.push({
          type: 'submit',
          pattern,
          form: str(r['form']),
          submitter: r['submitter'] === null || r['submitter'] === undefined ? null : element(r['submitter']),
        });
        return;
      default:
        return;
    }
  }
}
