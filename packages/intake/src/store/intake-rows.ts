/**
 * @module The intake tables, and the only code that names them in SQL. PHI is sealed here, bound
 * to its row and column (`intake_files.content:<id>`): the file's bytes, page images and text, the
 * fields read, an arrival's reference. Duplicates are found by a keyed digest of the content.
 */
import { createHash } from 'node:crypto';
import type { FieldCipher } from '@steward/governance';
import type { Sql } from '@steward/store';
import type { DocumentType, IntakeMediaType, ReadFields, ReadPage } from '../model/intake-model.js';

export type ArrivalSource = 'folder' | 'hl7-mdm' | 'fhir' | 'upload' | 'webhook';
export type ArrivalOutcome = 'accepted' | 'duplicate' | 'unreadable';
export type FileState = 'received' | 'read' | 'unreadable';
export const documentStates = [
  'needs-sorting',
  'needs-match',
  'needs-referral',
  'proposed-for-filing',
  'filed',
  'handed-off',
  'rejected',
] as const;
export type DocumentState = (typeof documentStates)[number];

/** One step of a document's way through intake: the state it reached, when, by whom (no PHI). */
export interface TrailStep {
  readonly state: string;
  readonly at: string;
  readonly by: string;
  readonly note?: string;
}

export interface FileRow {
  readonly id: string;
  readonly site: string;
  readonly media_type: string;
  readonly size_bytes: number;
  readonly content_enc: Buffer | null;
  readonly state: FileState;
  readonly unreadable_reason: string | null;
  readonly page_count: number | null;
  readonly model_version: string | null;
  readonly received_at: Date;
  readonly purged_at: Date | null;
  /** Claims so far by reading workers (a transient failure or a reader that died counts one). */
  readonly read_attempts: number;
  readonly next_read_at: Date | null;
  readonly lease_owner: string | null;
  readonly lease_until: Date | null;
  /** The last transient failure's code and message (no content), while the file waits to be read again. */
  readonly read_error: string | null;
}

/** A received file a reading worker has claimed: its lease is the worker's until `lease_until`. */
export interface ClaimedFile {
  readonly id: string;
  readonly site: string;
  readonly media_type: IntakeMediaType;
  readonly content_enc: Buffer | null;
  readonly read_attempts: number;
}

export interface PageRow {
  readonly file_id: string;
  readonly idx: number;
  readonly source: 'text-layer' | 'ocr';
  readonly text_confidence: number;
  readonly blank: boolean;
  readonly cover_sheet: boolean;
  readonly image_enc: Buffer | null;
  readonly text_enc: Buffer | null;
}

export interface ArrivalRow {
  readonly id: string;
  readonly site: string;
  readonly source: ArrivalSource;
  readonly brought_by_kind: string;
  readonly brought_by_id: string;
  readonly brought_by_name: string;
  readonly reference_enc: Buffer | null;
  readonly file_id: string | null;
  readonly outcome: ArrivalOutcome;
  readonly outcome_detail: string | null;
  readonly received_at: Date;
}

export interface DocumentRow {
  readonly id: string;
  readonly file_id: string;
  readonly site: string;
  readonly idx: number;
  readonly pages: number[];
  readonly state: DocumentState;
  readonly doc_type: DocumentType | null;
  readonly best_type: DocumentType;
  readonly confidence: number;
  readonly type_set_by: string | null;
  readonly complete: boolean;
  readonly missing: string[];
  readonly fields_enc: Buffer | null;
  readonly patient_id: string | null;
  readonly match_reason: string | null;
  readonly matched_by: string | null;
  readonly proposal_id: string | null;
  readonly handoff_ids: string[];
  readonly outcome_detail: string | null;
  /** The referral it answers (the referral workflow's id), when linked (migration 064). */
  readonly referral_id: string | null;
  /** Why it was linked or not (`only-open-referral`, `several-open-referrals`, `not-for-a-referral` …). */
  readonly referral_reason: string | null;
  /** `index` when intake chose it, else the person's id. */
  readonly referral_set_by: string | null;
  /** The filing proposal's last status intake saw (migration 065): null until followed. */
  readonly filing_status: string | null;
  readonly trail: TrailStep[];
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export interface PolicyRow {
  readonly site: string;
  readonly version: number;
  readonly auto_file_types: DocumentType[];
  readonly confidence_floor: number;
  readonly intake_pool: string | null;
  readonly set_by: string;
  readonly set_at: Date;
}

export interface WebhookSourceRow {
  readonly name: string;
  readonly site: string;
  readonly destination: string;
  readonly secret_enc: Buffer;
  readonly disabled_at: Date | null;
}

const ctxOf = (table: string, column: string, id: string, index?: number): string =>
  `${table}.${column}:${id}${index !== undefined ? `:${index}` : ''}`;

/** The keyed digest duplicates are found by: HMAC (index key) of the content's SHA-256, per site. */
export function contentKey(cipher: FieldCipher, site: string, bytes: Uint8Array): Buffer {
  return cipher.blindIndex('intake.content', `${site}\u0001${createHash('sha256').update(bytes).digest('hex')}`);
}

export class IntakeRows {
  constructor(private readonly cipher: FieldCipher) {}

  async fileByKey(tx: Sql, site: string, key: Buffer): Promise<FileRow | undefined> {
    const { rows } = await tx.query<FileRow>(
      `select ${fileColumns} from intake_files where site = $1 and content_key = $2`,
      [site, key],
    );
    return rows[0];
  }

  async file(tx: Sql, id: string): Promise<FileRow | undefined> {
    const { rows } = await tx.query<FileRow>(`select ${fileColumns} from intake_files where id = $1`, [id]);
    return rows[0];
  }

  /** Inserts the file unless one with the same content is at the site; false when it was there. */
  async insertFile(
    tx: Sql,
    f: { id: string; site: string; key: Buffer; mediaType: string; bytes: Uint8Array; at: Date },
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `insert into intake_files (id, site, content_key, media_type, size_bytes, content_enc, state, received_at,
         next_read_at) values ($1, $2, $3, $4, $5, $6, 'received', $7, $7) on conflict (site, content_key) do nothing`,
      [
        f.id,
        f.site,
        f.key,
        f.mediaType,
        f.bytes.length,
        this.cipher.encrypt(f.bytes, ctxOf('intake_files', 'content', f.id)),
        f.at,
      ],
    );
    return (rowCount ?? 0) === 1;
  }

  openContent(row: Pick<FileRow, 'id' | 'content_enc'>): Buffer | undefined {
    return row.content_enc === null
      ? undefined
      : this.cipher.decrypt(row.content_enc, ctxOf('intake_files', 'content', row.id));
  }

  async insertArrival(
    tx: Sql,
    a: {
      id: string;
      site: string;
      source: ArrivalSource;
      by: { kind: string; id: string; name: string };
      reference?: string;
      fileId: string | null;
      outcome: ArrivalOutcome;
      detail?: string;
      at: Date;
    },
  ): Promise<void> {
    await tx.query(
      `insert into intake_arrivals (id, site, source, brought_by_kind, brought_by_id, brought_by_name, reference_enc,
         file_id, outcome, outcome_detail, received_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        a.id,
        a.site,
        a.source,
        a.by.kind,
        a.by.id,
        a.by.name,
        a.reference !== undefined
          ? this.cipher.encrypt(a.reference, ctxOf('intake_arrivals', 'reference', a.id))
          : null,
        a.fileId,
        a.outcome,
        a.detail ?? null,
        a.at,
      ],
    );
  }

  openReference(row: ArrivalRow): string | undefined {
    return row.reference_enc === null
      ? undefined
      : this.cipher.decrypt(row.reference_enc, ctxOf('intake_arrivals', 'reference', row.id)).toString('utf8');
  }

  async arrivalsOf(tx: Sql, fileId: string): Promise<ArrivalRow[]> {
    const { rows } = await tx.query<ArrivalRow>(
      `select * from intake_arrivals where file_id = $1 order by received_at, id`,
      [fileId],
    );
    return rows;
  }

  /** How each file first arrived (its first arrival's source), for the queue. */
  async firstSources(tx: Sql, fileIds: readonly string[]): Promise<Map<string, ArrivalSource>> {
    if (fileIds.length === 0) return new Map();
    const { rows } = await tx.query<{ file_id: string; source: ArrivalSource }>(
      `select distinct on (file_id) file_id, source from intake_arrivals
        where file_id = any($1::uuid[]) order by file_id, received_at, id`,
      [[...fileIds]],
    );
    return new Map(rows.map((r) => [r.file_id, r.source]));
  }

  async arrival(tx: Sql, id: string): Promise<ArrivalRow | undefined> {
    const { rows } = await tx.query<ArrivalRow>(`select * from intake_arrivals where id = $1`, [id]);
    return rows[0];
  }

  async arrivals(tx: Sql, q: { sites?: readonly string[]; limit: number }): Promise<ArrivalRow[]> {
    const { rows } = await tx.query<ArrivalRow>(
      `select * from intake_arrivals where ($1::text[] is null or site = any($1::text[]))
        order by received_at desc, id desc limit $2`,
      [q.sites ?? null, q.limit],
    );
    return rows;
  }

  /** A file that could not be read, received again: read once more (its attempts counted afresh). */
  async reopenFile(tx: Sql, fileId: string, at: Date): Promise<void> {
    await tx.query(
      `update intake_files set state = 'received', unreadable_reason = null, read_at = null, read_attempts = 0,
         next_read_at = $2, lease_owner = null, lease_until = null, read_error = null where id = $1`,
      [fileId, at],
    );
  }

  /**
   * Received files due to be read, oldest first, leased to `owner` until `until`; their attempts
   * counted. A file another worker holds (its lease not yet passed) or is claiming is skipped, and so
   * is one this worker is still reading (`reading`), should its lease have passed meanwhile.
   */
  async claimToRead(
    tx: Sql,
    c: { owner: string; now: Date; until: Date; limit: number; reading: readonly string[] },
  ): Promise<ClaimedFile[]> {
    const { rows } = await tx.query<ClaimedFile>(
      `update intake_files f set lease_owner = $2, lease_until = $3, read_attempts = f.read_attempts + 1
         from (select id from intake_files
                where state = 'received' and next_read_at <= $1 and (lease_until is null or lease_until <= $1)
                  and not (id = any($5::uuid[]))
                order by next_read_at, received_at, id limit $4
                  for update skip locked) c
        where f.id = c.id
        returning f.id, f.site, f.media_type, f.content_enc, f.read_attempts`,
      [c.now, c.owner, c.until, c.limit, [...c.reading]],
    );
    return rows;
  }

  /** Moves the lease on while the file is read; false when the lease is no longer `owner`'s. */
  async renewLease(tx: Sql, fileId: string, owner: string, until: Date): Promise<boolean> {
    const { rowCount } = await tx.query(`update intake_files set lease_until = $3 where id = $1 and lease_owner = $2`, [
      fileId,
      owner,
      until,
    ]);
    return (rowCount ?? 0) === 1;
  }

  /** Puts a file back to be read again at `next` after a transient failure, with its cause. */
  async retryLater(tx: Sql, fileId: string, owner: string, next: Date, error: string): Promise<boolean> {
    const { rowCount } = await tx.query(
      `update intake_files set lease_owner = null, lease_until = null, next_read_at = $3, read_error = $4
        where id = $1 and lease_owner = $2 and state = 'received'`,
      [fileId, owner, next, error],
    );
    return (rowCount ?? 0) === 1;
  }

  /** Gives a claimed file back unread (its worker stopping): due at once, the claim not counted. */
  async releaseClaim(tx: Sql, fileId: string, owner: string): Promise<void> {
    await tx.query(
      `update intake_files set lease_owner = null, lease_until = null, read_attempts = greatest(read_attempts - 1, 0)
        where id = $1 and lease_owner = $2 and state = 'received'`,
      [fileId, owner],
    );
  }

  /** Ends the lease once what was read has been routed. */
  async endLease(tx: Sql, fileId: string, owner: string): Promise<void> {
    await tx.query(
      `update intake_files set lease_owner = null, lease_until = null where id = $1 and lease_owner = $2`,
      [fileId, owner],
    );
  }

  /**
   * Ends a received file `unreadable` with the reason, and its arrivals waiting on it. With `owner`,
   * only while that worker holds its lease; false when it no longer does (another worker has it).
   */
  async markUnreadable(tx: Sql, fileId: string, reason: string, at: Date, owner?: string): Promise<boolean> {
    const { rowCount } = await tx.query(
      `update intake_files set state = 'unreadable', unreadable_reason = $2, read_at = $3, lease_owner = null,
         lease_until = null, read_error = null
        where id = $1 and ($4::text is null or (lease_owner = $4 and state = 'received'))`,
      [fileId, reason, at, owner ?? null],
    );
    if ((rowCount ?? 0) !== 1) return false;
    await tx.query(
      `update intake_arrivals set outcome = 'unreadable', outcome_detail = $2 where file_id = $1 and outcome = 'accepted'`,
      [fileId, reason],
    );
    return true;
  }

  /**
   * Records a claimed file read, with its pages; false when `owner` no longer holds its lease (the
   * lease passed and another worker took it: that worker records it). The lease stays until the
   * documents are routed (`endLease`).
   */
  async markRead(
    tx: Sql,
    fileId: string,
    pages: readonly ReadPage[],
    modelVersion: string,
    at: Date,
    owner: string,
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `update intake_files set state = 'read', page_count = $2, model_version = $3, read_at = $4, read_error = null
        where id = $1 and lease_owner = $5 and state = 'received'`,
      [fileId, pages.length, modelVersion, at, owner],
    );
    if ((rowCount ?? 0) !== 1) return false;
    for (const p of pages) {
      await tx.query(
        `insert into intake_pages (file_id, idx, source, text_confidence, blank, cover_sheet, image_enc, text_enc)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          fileId,
          p.index,
          p.source,
          p.textConfidence,
          p.blank,
          p.coverSheet,
          this.cipher.encrypt(p.image, ctxOf('intake_pages', 'image', fileId, p.index)),
          this.cipher.encrypt(
            JSON.stringify({ text: p.text, barcodes: p.barcodes }),
            ctxOf('intake_pages', 'text', fileId, p.index),
          ),
        ],
      );
    }
    return true;
  }

  /** How many files are still to be read or being read, per site (at `site` only when given). */
  async readingBySite(tx: Sql, site?: string): Promise<Map<string, number>> {
    const { rows } = await tx.query<{ site: string; n: number | string }>(
      `select site, count(*) as n from intake_files where state = 'received' and ($1::text is null or site = $1)
        group by site`,
      [site ?? null],
    );
    return new Map(rows.map((r) => [r.site, Number(r.n)]));
  }

  async pages(tx: Sql, fileId: string): Promise<PageRow[]> {
    const { rows } = await tx.query<PageRow>(
      `select file_id, idx, source, text_confidence, blank, cover_sheet, null::bytea as image_enc, text_enc
         from intake_pages where file_id = $1 order by idx`,
      [fileId],
    );
    return rows;
  }

  async pageImage(tx: Sql, fileId: string, index: number): Promise<Buffer | null | undefined> {
    const { rows } = await tx.query<{ image_enc: Buffer | null }>(
      `select image_enc from intake_pages where file_id = $1 and idx = $2`,
      [fileId, index],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return row.image_enc === null
      ? null
      : this.cipher.decrypt(row.image_enc, ctxOf('intake_pages', 'image', fileId, index));
  }

  openPageText(row: PageRow): { text: string; barcodes: string[] } | undefined {
    return row.text_enc === null
      ? undefined
      : (JSON.parse(
          this.cipher.decrypt(row.text_enc, ctxOf('intake_pages', 'text', row.file_id, row.idx)).toString('utf8'),
        ) as { text: string; barcodes: string[] });
  }

  async insertDocument(
    tx: Sql,
    d: Omit<
      DocumentRow,
      | 'fields_enc'
      | 'version'
      | 'handoff_ids'
      | 'proposal_id'
      | 'outcome_detail'
      | 'referral_id'
      | 'referral_reason'
      | 'referral_set_by'
      | 'filing_status'
    > & {
      fields: ReadFields;
    },
  ): Promise<void> {
    await tx.query(
      `insert into intake_documents (id, file_id, site, idx, pages, state, doc_type, best_type, confidence, type_set_by,
         complete, missing, fields_enc, patient_id, match_reason, matched_by, trail, version, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, $18)`,
      [
        d.id,
        d.file_id,
        d.site,
        d.idx,
        d.pages,
        d.state,
        d.doc_type,
        d.best_type,
        d.confidence,
        d.type_set_by,
        d.complete,
        d.missing,
        this.cipher.encrypt(JSON.stringify(d.fields), ctxOf('intake_documents', 'fields', d.id)),
        d.patient_id,
        d.match_reason,
        d.matched_by,
        JSON.stringify(d.trail),
        d.created_at,
      ],
    );
  }

  openFields(row: DocumentRow): ReadFields {
    return row.fields_enc === null
      ? {}
      : (JSON.parse(
          this.cipher.decrypt(row.fields_enc, ctxOf('intake_documents', 'fields', row.id)).toString('utf8'),
        ) as ReadFields);
  }

  /** Applies `changes` when the row is still at `version`; false when another change came first. */
  async updateDocument(
    tx: Sql,
    row: DocumentRow,
    changes: Partial<
      Pick<
        DocumentRow,
        | 'state'
        | 'doc_type'
        | 'type_set_by'
        | 'complete'
        | 'missing'
        | 'patient_id'
        | 'match_reason'
        | 'matched_by'
        | 'proposal_id'
        | 'handoff_ids'
        | 'outcome_detail'
        | 'referral_id'
        | 'referral_reason'
        | 'referral_set_by'
        | 'filing_status'
      >
    >,
    step: TrailStep,
    at: Date,
  ): Promise<boolean> {
    const next = { ...row, ...changes };
    const { rowCount } = await tx.query(
      `update intake_documents set state = $3, doc_type = $4, type_set_by = $5, complete = $6, missing = $7,
         patient_id = $8, match_reason = $9, matched_by = $10, proposal_id = $11, handoff_ids = $12,
         outcome_detail = $13, trail = trail || $14::jsonb, version = version + 1, updated_at = $15,
         referral_id = $16, referral_reason = $17, referral_set_by = $18, filing_status = $19
       where id = $1 and version = $2`,
      [
        row.id,
        row.version,
        next.state,
        next.doc_type,
        next.type_set_by,
        next.complete,
        next.missing,
        next.patient_id,
        next.match_reason,
        next.matched_by,
        next.proposal_id,
        next.handoff_ids,
        next.outcome_detail,
        JSON.stringify([step]),
        at,
        next.referral_id ?? null,
        next.referral_reason ?? null,
        next.referral_set_by ?? null,
        next.filing_status ?? null,
      ],
    );
    return (rowCount ?? 0) === 1;
  }

  /** Notes the filing's status without a move (waiting for review is no news on the trail). */
  async noteFilingStatus(tx: Sql, id: string, status: string): Promise<void> {
    await tx.query(`update intake_documents set filing_status = $2 where id = $1`, [id, status]);
  }

  /**
   * Documents whose filing proposal is still open (not yet written and verified, rejected or
   * failed), by id after `after`: a follower pages through all of them, round after round.
   */
  async openFilings(tx: Sql, after: string, limit: number): Promise<DocumentRow[]> {
    const { rows } = await tx.query<DocumentRow>(
      `select * from intake_documents
        where proposal_id is not null and state in ('proposed-for-filing', 'filed')
          and (filing_status is null or filing_status in ('drafted', 'pending_review', 'approved', 'committed'))
          and id > $1
        order by id limit $2`,
      [after, limit],
    );
    return rows;
  }

  async document(tx: Sql, id: string): Promise<DocumentRow | undefined> {
    const { rows } = await tx.query<DocumentRow>(`select * from intake_documents where id = $1`, [id]);
    return rows[0];
  }

  async documentsOf(tx: Sql, fileId: string): Promise<DocumentRow[]> {
    const { rows } = await tx.query<DocumentRow>(`select * from intake_documents where file_id = $1 order by idx`, [
      fileId,
    ]);
    return rows;
  }

  async queue(
    tx: Sql,
    q: {
      sites?: readonly string[];
      states?: readonly string[];
      type?: string;
      maxConfidence?: number;
      minConfidence?: number;
      complete?: boolean;
      before?: { at: Date; id: string };
      limit: number;
    },
  ): Promise<DocumentRow[]> {
    const { rows } = await tx.query<DocumentRow>(
      `select * from intake_documents
        where ($1::text[] is null or site = any($1::text[]))
          and ($2::text[] is null or state = any($2::text[]))
          and ($3::text is null or coalesce(doc_type, best_type) = $3)
          and ($4::float8 is null or confidence <= $4)
          and ($5::float8 is null or confidence >= $5)
          and ($6::boolean is null or complete = $6)
          and ($7::timestamptz is null or (updated_at, id) < ($7::timestamptz, $8::uuid))
        order by updated_at desc, id desc limit $9`,
      [
        q.sites ?? null,
        q.states ?? null,
        q.type ?? null,
        q.maxConfidence ?? null,
        q.minConfidence ?? null,
        q.complete ?? null,
        q.before?.at ?? null,
        q.before?.id ?? null,
        q.limit,
      ],
    );
    return rows;
  }

  async currentPolicy(tx: Sql, site: string): Promise<PolicyRow | undefined> {
    const { rows } = await tx.query<PolicyRow>(
      `select * from intake_policies where site = $1 order by version desc limit 1`,
      [site],
    );
    return rows[0];
  }

  async insertPolicy(
    tx: Sql,
    p: { site: string; autoFileTypes: readonly string[]; floor: number; pool: string | null; by: string; at: Date },
  ): Promise<PolicyRow> {
    const { rows } = await tx.query<PolicyRow>(
      `insert into intake_policies (site, version, auto_file_types, confidence_floor, intake_pool, set_by, set_at)
       values ($1, coalesce((select max(version) from intake_policies where site = $1), 0) + 1, $2, $3, $4, $5, $6)
       returning *`,
      [p.site, p.autoFileTypes, p.floor, p.pool, p.by, p.at],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('intake policy insert returned no row');
    return row;
  }

  async webhookSource(tx: Sql, name: string): Promise<WebhookSourceRow | undefined> {
    const { rows } = await tx.query<WebhookSourceRow>(
      `select name, site, destination, secret_enc, disabled_at from intake_webhook_sources where name = $1`,
      [name],
    );
    return rows[0];
  }

  async upsertWebhookSource(
    tx: Sql,
    s: { name: string; site: string; destination: string; secret: string; by: string; at: Date },
  ): Promise<void> {
    await tx.query(
      `insert into intake_webhook_sources (name, site, destination, secret_enc, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (name) do update set site = $2, destination = $3, secret_enc = $4, created_by = $5,
         created_at = $6, disabled_at = null`,
      [
        s.name,
        s.site,
        s.destination,
        this.cipher.encrypt(s.secret, ctxOf('intake_webhook_sources', 'secret', s.name)),
        s.by,
        s.at,
      ],
    );
  }

  openSecret(row: WebhookSourceRow): string {
    return this.cipher.decrypt(row.secret_enc, ctxOf('intake_webhook_sources', 'secret', row.name)).toString('utf8');
  }
}

const fileColumns =
  'id, site, media_type, size_bytes, content_enc, state, unreadable_reason, page_count, model_version, received_at, ' +
  'purged_at, read_attempts, next_read_at, lease_owner, lease_until, read_error';
