/**
 * @module Plays clinic days in simulated time: a seeded PRNG and a clock that advances in steps
 * (15 simulated minutes by default). Each step moves due appointments (arrive, check in, fulfil,
 * no-show), referrals (received, accepted, scheduled, answered, cancelled or leaked), recheck
 * orders (ordered after a visit, booked by the front desk, rebooked or lapsed after a miss) and inpatient
 * stays (discharge), then draws new bookings, reschedules, cancellations and admissions at
 * plausible rates. Every change goes through the ClinicFhir port and the matching HL7 v2 message
 * to the feed. Same seed and same data give the same events and byte-identical messages.
 */
import type { ActionResult, ClinicSnapshot } from './clinic.js';
import { Clinic, refOf } from './clinic.js';
import type { AppointmentState, ReferralState } from './clinic-model.js';
import { addDays, dateKey } from './clinic-time.js';
import type { DerivedClinic } from './derive-clinic.js';
import {
  arrive,
  book,
  cancel,
  cancellationReasons,
  checkIn,
  freeSlots,
  fulfil,
  noShow,
  openSlots,
  reschedule,
} from './appointment-actions.js';
import { admit, discharge, dischargeDispositions } from './inpatient-actions.js';
import type { ClinicEvent, ClinicFhir, Hl7Feed } from './ports.js';
import { SeededRandom } from './prng.js';
import { completeRecheck, orderRecheck, type RecheckState } from './recheck-actions.js';
import {
  acceptReferral,
  answerReferral,
  cancelReferral,
  noteScheduled,
  receiveReferral,
  sendReferral,
} from './referral-actions.js';

/** Rates of the clinic's life. Hourly rates apply while the clinic is open. */
export interface ClinicRates {
  readonly bookingsPerOpenHour: number;
  readonly reschedulesPerOpenHour: number;
  readonly cancellationsPerOpenHour: number;
  readonly admissionsPerDay: number;
  /** Share of booked patients who do not come. */
  readonly noShowShare: number;
  /** Share of fulfilled primary-care visits that end with a referral. */
  readonly referralShare: number;
  /** Share of referrals never scheduled (leakage). */
  readonly leakShare: number;
  /** Share of referrals the referrer cancels. */
  readonly referralCancelShare: number;
  /** Share of missed referral appointments that are booked again (the rest leak). */
  readonly rebookMissedReferralShare: number;
  /** Share of discharges followed by a primary-care follow-up booking. */
  readonly followUpShare: number;
  /** Share of new bookings with a specialist directly (no referral). */
  readonly directSpecialistShare: number;
  /** Share of fulfilled primary-care visits (without a referral) that end with a recheck order. */
  readonly recheckShare: number;
  /** A recheck is due this many weeks after the visit: [fewest, most]. */
  readonly recheckWeeks: readonly [number, number];
  /** Share of missed or cancelled recheck appointments booked again (the rest lapse). */
  readonly rebookRecheckShare: number;
}

export const defaultClinicRates: ClinicRates = {
  bookingsPerOpenHour: 2.5,
  reschedulesPerOpenHour: 0.3,
  cancellationsPerOpenHour: 0.4,
  admissionsPerDay: 1.5,
  noShowShare: 0.1,
  referralShare: 0.35,
  leakShare: 0.25,
  referralCancelShare: 0.08,
  rebookMissedReferralShare: 0.5,
  followUpShare: 0.7,
  directSpecialistShare: 0.15,
  recheckShare: 0.2,
  recheckWeeks: [2, 6],
  rebookRecheckShare: 0.7,
};

export interface ClinicSimulatorOptions {
  readonly derived: DerivedClinic;
  readonly feed?: Hl7Feed;
  /** Simulated minutes per step. Default 15. */
  readonly tickMinutes?: number;
  readonly rates?: Partial<ClinicRates>;
  readonly onEvent?: (event: ClinicEvent) => void;
  /** Where a failed step is reported in real-time mode (start/stop); the loop keeps going. */
  readonly onError?: (error: unknown) => void;
  /** Called after every step, failed or not (e.g. to save `snapshot()`). */
  readonly onStep?: (simulator: ClinicSimulator) => void;
}

/** Everything the simulator needs to continue where it was: the clinic, the clock and the random streams. */
export interface SimulatorSnapshot {
  readonly version: 1;
  readonly clinic: ClinicSnapshot;
  readonly seed: string;
  readonly startsAt: number;
  readonly startDate: DerivedClinic['startDate'];
  readonly horizonDays: number;
  readonly now: number;
  readonly rng: number;
  readonly recheckRng: number;
  readonly rechecks: readonly RecheckState[];
  /** Events played so far (the next one is numbered after them). */
  readonly events: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

export class ClinicSimulator {
  readonly clinic: Clinic;
  readonly #derived: DerivedClinic;
  readonly #feed: Hl7Feed | undefined;
  readonly #tick: number;
  readonly #rates: ClinicRates;
  #rng: SeededRandom;
  readonly #onEvent: ((e: ClinicEvent) => void) | undefined;
  readonly #onError: ((e: unknown) => void) | undefined;
  readonly #onStep: ((s: ClinicSimulator) => void) | undefined;
  readonly #events: ClinicEvent[] = [];
  /** Events played before this process (a resumed simulator numbers on from them). */
  #earlierEvents = 0;
  /** Recheck draws use their own stream, so adding them left the rest of the clinic's draws as they were. */
  #recheckRng: SeededRandom;
  readonly #rechecks = new Map<string, RecheckState>();
  #now: number;
  #timer: NodeJS.Timeout | undefined;
  #caughtUp = false;
  #running: Promise<void> | undefined;

  constructor(options: ClinicSimulatorOptions) {
    this.#derived = options.derived;
    this.clinic = options.derived.clinic;
    this.#feed = options.feed;
    this.#tick = (options.tickMinutes ?? 15) * 60_000;
    this.#rates = { ...defaultClinicRates, ...options.rates };
    this.#rng = new SeededRandom(`${options.derived.seed}:play`);
    this.#recheckRng = new SeededRandom(`${options.derived.seed}:recheck`);
    this.#onEvent = options.onEvent;
    this.#onError = options.onError;
    this.#onStep = options.onStep;
    this.#now = options.derived.startsAt;
  }

  /** A simulator that continues from `snapshot`, acting through `fhir`. */
  static resume(
    snapshot: SimulatorSnapshot,
    fhir: ClinicFhir,
    options: Omit<ClinicSimulatorOptions, 'derived'> = {},
  ): ClinicSimulator {
    const derived: DerivedClinic = {
      clinic: Clinic.restore(snapshot.clinic, fhir),
      seed: snapshot.seed,
      startsAt: snapshot.startsAt,
      startDate: snapshot.startDate,
      horizonDays: snapshot.horizonDays,
    };
    const sim = new ClinicSimulator({ ...options, derived });
    sim.#now = snapshot.now;
    sim.#rng = new SeededRandom(snapshot.rng);
    sim.#recheckRng = new SeededRandom(snapshot.recheckRng);
    for (const r of structuredClone(snapshot.rechecks)) sim.#rechecks.set(r.simId, r);
    sim.#earlierEvents = snapshot.events;
    return sim;
  }

  snapshot(): SimulatorSnapshot {
    return {
      version: 1,
      clinic: this.clinic.snapshot(),
      seed: this.#derived.seed,
      startsAt: this.#derived.startsAt,
      startDate: this.#derived.startDate,
      horizonDays: this.#derived.horizonDays,
      now: this.#now,
      rng: this.#rng.state,
      recheckRng: this.#recheckRng.state,
      rechecks: structuredClone([...this.#rechecks.values()]),
      events: this.#earlierEvents + this.#events.length,
    };
  }

  /** The clinic as derived (or restored), with its start. */
  get derived(): DerivedClinic {
    return this.#derived;
  }

  /** Recheck orders by sim id (demo stories add theirs here). */
  get rechecks(): Map<string, RecheckState> {
    return this.#rechecks;
  }

  /** Whether the clock has reached the real clock it follows (start with `realNow`). */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** The simulated clock, epoch ms. */
  get now(): number {
    return this.#now;
  }

  /** Every event so far, in order. */
  get events(): readonly ClinicEvent[] {
    return this.#events;
  }

  /** Advances the clock one step and plays what happens in it. Returns that step's events. */
  async step(): Promise<ClinicEvent[]> {
    try {
      return await this.#step();
    } finally {
      this.#onStep?.(this);
    }
  }

  async #step(): Promise<ClinicEvent[]> {
    const from = this.#events.length;
    const prev = this.#now;
    this.#now += this.#tick;
    const now = this.#now;
    const c = this.clinic;
    if (dateKey(c.zone.local(prev)) !== dateKey(c.zone.local(now))) await this.#newDay(now);
    await this.#appointmentsDue(now);
    await this.#referralsDue(now);
    await this.#rechecksDue(now);
    await this.#staysDue(now);
    if (c.isOpen(now)) await this.#draws(now);
    const admissions = this.#rng.poisson((this.#rates.admissionsPerDay * this.#tick) / DAY);
    for (let i = 0; i < admissions; i++) await this.#admit(now);
    return this.#events.slice(from);
  }

  /** Plays n simulated days as fast as the EHR allows. */
  async runDays(days: number): Promise<ClinicEvent[]> {
    const from = this.#events.length;
    const steps = Math.round((days * DAY) / this.#tick);
    for (let i = 0; i < steps; i++) await this.step();
    return this.#events.slice(from);
  }

  /**
   * Demo mode: one step every realMsPerSimHour × (tick / 1 h) real milliseconds until stop(). With
   * `realNow`, the clock never passes it: the clinic plays its past at that pace, then steps as the
   * real clock reaches each tick (so nothing it writes is dated in the future).
   */
  start(realMsPerSimHour: number, realNow?: () => number): void {
    if (this.#timer !== undefined || this.#running) return;
    const delay = Math.max(1, Math.round((realMsPerSimHour * this.#tick) / HOUR));
    const loop = (): void => {
      const ahead = realNow === undefined ? 0 : this.#now + this.#tick - realNow();
      if (ahead > 0) {
        this.#caughtUp = true;
        if (this.#timer !== undefined) this.#timer = setTimeout(loop, Math.min(ahead, this.#tick));
        return;
      }
      this.#running = this.step().then(
        () => undefined,
        (e: unknown) => this.#onError?.(e),
      );
      void this.#running.then(() => {
        this.#running = undefined;
        if (this.#timer !== undefined) this.#timer = setTimeout(loop, delay);
      });
    };
    this.#timer = setTimeout(loop, delay);
  }

  /** Stops demo mode: clears the timer and waits for a step in flight. */
  async stop(): Promise<void> {
    const t = this.#timer;
    this.#timer = undefined;
    if (t !== undefined) clearTimeout(t);
    await this.#running;
  }

  get isRunning(): boolean {
    return this.#timer !== undefined;
  }

  /** Runs `act` (a demo story's action) after the step in flight, if any, so the two do not interleave. */
  async between<T>(act: () => Promise<T>): Promise<T> {
    await this.#running;
    return act();
  }

  /** Plays an action taken outside the step (a demo story): its HL7 message to the feed, its event to the list. */
  async record(r: ActionResult | undefined): Promise<void> {
    await this.#emit(r);
  }

  async #emit(r: ActionResult | undefined): Promise<void> {
    if (!r) return;
    if (r.hl7 && this.#feed) await this.#feed.send(r.hl7.message);
    const event: ClinicEvent = {
      seq: this.#earlierEvents + this.#events.length + 1,
      kind: r.kind,
      at: this.clinic.zone.fhir(r.at),
      simId: r.simId,
      patientKey: r.patientKey,
      ...(r.serviceLine ? { serviceLine: r.serviceLine } : {}),
      references: r.references,
      ...(r.hl7 ? { hl7: { type: r.hl7.type, controlId: r.hl7.controlId } } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
    };
    this.#events.push(event);
    this.#onEvent?.(event);
  }

  async #newDay(now: number): Promise<void> {
    const c = this.clinic;
    const day = addDays(c.zone.local(now), this.#derived.horizonDays - 1);
    if (!c.openedDays.has(dateKey(day))) for (const p of c.providers) await openSlots(c, p, day);
    // Forget slots that ended more than a day ago: nothing books or frees them any more.
    for (const [key, list] of c.slots)
      c.slots.set(
        key,
        list.filter((s) => s.end > now - DAY),
      );
  }

  async #appointmentsDue(now: number): Promise<void> {
    const c = this.clinic;
    for (const a of c.appointments.values()) {
      const status = a.resource.status;
      if (status === 'booked' && a.missed !== true && now >= a.start - 15 * 60_000) {
        // A demo story may have decided already (demo-stories.ts).
        a.missed ??= this.#rng.chance(this.#rates.noShowShare);
        if (!a.missed) await this.#emit(await arrive(c, a, now));
      } else if (status === 'booked' && a.missed && now >= a.start + 15 * 60_000) {
        await this.#emit(await noShow(c, a, now));
        await this.#referralMissed(a, now);
        this.#recheckMissed(a, now);
      } else if (status === 'arrived' && now >= a.start) {
        await this.#emit(await checkIn(c, a, now));
      } else if (status === 'checked-in' && now >= a.end) {
        await this.#emit(await fulfil(c, a, now));
        await this.#afterVisit(a, now);
      }
    }
  }

  async #afterVisit(a: AppointmentState, now: number): Promise<void> {
    const c = this.clinic;
    const recheck = a.referralSimId ? this.#rechecks.get(a.referralSimId) : undefined;
    if (recheck) {
      await this.#emit(await completeRecheck(c, recheck, now));
      return;
    }
    if (
      c.provider(a.providerKey).serviceLine.code === c.serviceLines[0]?.code &&
      this.#recheckRng.chance(this.#rates.recheckShare)
    ) {
      const [fewest, most] = this.#rates.recheckWeeks;
      const dueAt = now + this.#recheckRng.int(fewest, most) * 7 * DAY;
      const { state, result } = await orderRecheck(c, {
        patientKey: a.patientKey,
        providerKey: a.providerKey,
        at: now,
        dueAt,
        // The front desk books it once the schedule around the due date is open.
        nextAt: Math.max(now + this.#recheckRng.int(2, 48) * HOUR, dueAt - (this.#derived.horizonDays - 3) * DAY),
        ...(a.encounter ? { encounterRef: refOf(a.encounter) } : {}),
      });
      this.#rechecks.set(state.simId, state);
      await this.#emit(result);
    }
    if (a.referralSimId) {
      const r = c.referrals.get(a.referralSimId);
      if (r && r.phase === 'scheduled') {
        r.phase = 'attended';
        r.nextAt = now + this.#rng.int(4, 48) * HOUR;
      }
      return;
    }
    if (c.provider(a.providerKey).serviceLine.code !== c.serviceLines[0]?.code) return;
    if (!this.#rng.chance(this.#rates.referralShare)) return;
    const to = this.#rng.pick(c.providers.filter((p) => p.serviceLine.code !== c.serviceLines[0]?.code));
    if (!to) return;
    const { result } = await sendReferral(c, {
      patientKey: a.patientKey,
      fromKey: a.providerKey,
      toKey: to.key,
      at: now,
      urgent: this.#rng.chance(0.1),
      ...(a.encounter ? { encounterRef: refOf(a.encounter) } : {}),
      willLeak: this.#rng.chance(this.#rates.leakShare),
      willCancel: this.#rng.chance(this.#rates.referralCancelShare),
      nextAt: now + this.#rng.int(1, 8) * HOUR,
    });
    await this.#emit(result);
  }

  /** A referral's appointment was missed or cancelled: book again later, or the referral leaks. */
  async #referralMissed(a: AppointmentState, now: number): Promise<void> {
    const r = a.referralSimId ? this.clinic.referrals.get(a.referralSimId) : undefined;
    if (!r || r.phase !== 'scheduled') return;
    if (this.#rng.chance(this.#rates.rebookMissedReferralShare)) {
      r.phase = 'accepted';
      r.nextAt = now + this.#rng.int(2, 24) * HOUR;
    } else {
      await this.#leak(r, now);
    }
  }

  /** A recheck's appointment was missed or cancelled: the front desk books it again, or it lapses. */
  #recheckMissed(a: AppointmentState, now: number): void {
    const r = a.referralSimId ? this.#rechecks.get(a.referralSimId) : undefined;
    if (!r || r.phase !== 'booked' || r.appointmentSimId !== a.simId) return;
    if (this.#recheckRng.chance(this.#rates.rebookRecheckShare)) {
      r.phase = 'ordered';
      r.nextAt = now + this.#recheckRng.int(2, 48) * HOUR;
    } else {
      r.phase = 'lapsed';
    }
  }

  /** The front desk books due rechecks (in opening hours) near their due date, based on the order. */
  async #rechecksDue(now: number): Promise<void> {
    const c = this.clinic;
    if (!c.isOpen(now)) return;
    for (const r of this.#rechecks.values()) {
      if (r.phase !== 'ordered' || r.nextAt > now) continue;
      const from = Math.max(now + DAY, r.dueAt - 2 * DAY);
      const slot = this.#recheckRng.pick(freeSlots(c, r.providerKey, from).slice(0, 12));
      if (!slot) {
        r.nextAt = now + DAY;
        continue;
      }
      const { state, result } = await book(c, {
        patientKey: r.patientKey,
        slot,
        purpose: 'follow-up',
        at: now,
        basedOn: { ref: refOf(r.serviceRequest), simId: r.simId },
      });
      r.phase = 'booked';
      r.appointmentSimId = state.simId;
      await this.#emit({ ...result, references: [...result.references, refOf(r.serviceRequest)] });
    }
  }

  async #leak(r: ReferralState, now: number): Promise<void> {
    r.phase = 'leaked';
    // Ground truth for tests and demos: nothing changes in the EHR, which is what leakage is.
    await this.#emit({
      kind: 'referral-leaked',
      at: now,
      simId: r.simId,
      patientKey: r.patientKey,
      serviceLine: this.clinic.provider(r.toKey).serviceLine.code,
      references: [refOf(r.serviceRequest), refOf(r.task)],
    });
  }

  async #referralsDue(now: number): Promise<void> {
    const c = this.clinic;
    if (!c.isOpen(now)) return; // office staff work in opening hours
    for (const r of c.referrals.values()) {
      if (r.nextAt > now || r.story === 'stalled') continue;
      switch (r.phase) {
        case 'requested':
        case 'received':
          if (r.willCancel) {
            await this.#emit(await cancelReferral(c, r, now));
          } else if (r.phase === 'requested') {
            await this.#emit(await receiveReferral(c, r, now));
            r.nextAt = now + this.#rng.int(1, 24) * HOUR;
          } else {
            await this.#emit(await acceptReferral(c, r, now));
            if (r.willLeak) await this.#leak(r, now);
            else r.nextAt = now + this.#rng.int(2, 24) * HOUR;
          }
          break;
        case 'accepted': {
          const free = freeSlots(c, r.toKey, now + DAY);
          // A closed-loop story takes the first free slot, so its loop closes within the demo's past.
          const slot = r.story === 'closed-loop' ? free[0] : this.#rng.pick(free.slice(0, 30));
          if (!slot) {
            r.nextAt = now + DAY;
            break;
          }
          const { state, result } = await book(c, {
            patientKey: r.patientKey,
            slot,
            purpose: 'referral',
            at: now,
            basedOn: { ref: refOf(r.serviceRequest), simId: r.simId },
          });
          r.appointmentSimId = state.simId;
          if (r.story === 'closed-loop') Object.assign(state, { missed: false, scripted: true });
          await noteScheduled(c, r, now, refOf(state.resource));
          await this.#emit({ ...result, references: [...result.references, refOf(r.serviceRequest), refOf(r.task)] });
          break;
        }
        case 'attended': {
          const a = r.appointmentSimId ? c.appointments.get(r.appointmentSimId) : undefined;
          await this.#emit(await answerReferral(c, r, now, a?.encounter ? refOf(a.encounter) : undefined));
          break;
        }
        case 'scheduled':
        case 'completed':
        case 'cancelled':
        case 'leaked':
          break;
      }
    }
  }

  async #staysDue(now: number): Promise<void> {
    const c = this.clinic;
    for (const s of [...c.stays.values()]) {
      if (s.dischargeAt > now) continue;
      const disposition = this.#rng.weighted(
        dischargeDispositions.map((d, i) => [d, [0.7, 0.15, 0.1, 0.05][i] ?? 0] as const),
      )!;
      await this.#emit(await discharge(c, s, now, disposition));
      if (disposition.code === 'home' && this.#rng.chance(this.#rates.followUpShare)) {
        const pcp = c.patient(s.patientKey).pcpKey;
        const slot = this.#rng.pick(freeSlots(c, pcp, now + 2 * DAY).filter((x) => x.start < now + 7 * DAY));
        if (slot)
          await this.#emit((await book(c, { patientKey: s.patientKey, slot, purpose: 'follow-up', at: now })).result);
      }
    }
  }

  async #admit(now: number): Promise<void> {
    const c = this.clinic;
    const inHospital = new Set([...c.stays.values()].map((s) => s.patientKey));
    const patient = this.#rng.pick(c.patients.filter((p) => !inHospital.has(p.key)));
    if (!patient) return;
    const attending = this.#rng.pick(c.providers)!;
    const dischargeAt = now + this.#rng.int(1, 4) * DAY + this.#rng.int(0, 8) * HOUR;
    await this.#emit((await admit(c, patient.key, attending.key, now, dischargeAt)).result);
  }

  async #draws(now: number): Promise<void> {
    const c = this.clinic;
    const perStep = this.#tick / HOUR;
    const bookings = this.#rng.poisson(this.#rates.bookingsPerOpenHour * perStep);
    for (let i = 0; i < bookings; i++) {
      const patient = this.#rng.pick(c.patients)!;
      const direct = this.#rng.chance(this.#rates.directSpecialistShare);
      const providerKey = direct ? (this.#rng.pick(c.providers)?.key ?? patient.pcpKey) : patient.pcpKey;
      const slot = this.#rng.pick(freeSlots(c, providerKey, now + 2 * HOUR).slice(0, 60));
      if (slot) await this.#emit((await book(c, { patientKey: patient.key, slot, purpose: 'visit', at: now })).result);
    }
    const future = (after: number): AppointmentState[] =>
      [...c.appointments.values()].filter((a) => a.resource.status === 'booked' && a.start > after && !a.scripted);
    const reschedules = this.#rng.poisson(this.#rates.reschedulesPerOpenHour * perStep);
    for (let i = 0; i < reschedules; i++) {
      const a = this.#rng.pick(future(now + DAY));
      const slot = a ? this.#rng.pick(freeSlots(c, a.providerKey, now + DAY).slice(0, 40)) : undefined;
      if (a && slot) await this.#emit(await reschedule(c, a, slot, now));
    }
    const cancellations = this.#rng.poisson(this.#rates.cancellationsPerOpenHour * perStep);
    for (let i = 0; i < cancellations; i++) {
      const a = this.#rng.pick(future(now + HOUR));
      if (!a) continue;
      const reason = this.#rng.weighted(cancellationReasons.map((r, j) => [r, [0.7, 0.2, 0.1][j] ?? 0] as const))!;
      await this.#emit(await cancel(c, a, now, reason));
      await this.#referralMissed(a, now);
      this.#recheckMissed(a, now);
    }
  }
}
