/**
 * @module The demo's stories: a few storylines planted at the start of the clinic's past so that a
 * fresh demo reliably shows the moments a coordinator works on, whatever the random draws do:
 * - a referral the specialist's office never receives (Steward finds it overdue, then escalates);
 * - a referral that goes all the way: received, accepted, booked, attended, answered (a closed loop);
 * - a recheck whose patient does not come (a no-show);
 * - a recheck booked for the clinic day after the past ends (its reminder falls due as the demo starts);
 *   its patient later texts back "cancel" and then calls the front desk, who move it instead
 *   (`frontDeskMoves`): Steward's cancellation, drafted on the old booking, then meets a changed EHR.
 * Patients are drawn from their own seeded stream, so the clinic's other draws stay as they were.
 * Everything is dated at the simulator's clock when planted (the first morning of the past).
 */
import type { ClinicSimulator } from './clinic-simulator.js';
import { refOf } from './clinic.js';
import { addDays, dateKey, isWeekend, type LocalDate } from './clinic-time.js';
import { book, freeSlots, openSlots, reschedule } from './appointment-actions.js';
import { SeededRandom } from './prng.js';
import { orderRecheck } from './recheck-actions.js';
import { sendReferral } from './referral-actions.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The sim ids of what was planted, so tests and walks can find each story. */
export interface DemoStories {
  /** Referral never received. */
  readonly stalledReferral: string;
  /** Referral that closes its loop. */
  readonly closedLoopReferral: string;
  /** Recheck appointment the patient misses. */
  readonly noShowAppointment: string;
  /** Recheck appointment on the clinic day after `until` (its reminder is due around then). */
  readonly reminderAppointment: string;
}

/** Plants the stories at the simulator's current time; `until` is when the clinic's past ends (real now). */
export async function plantDemoStories(sim: ClinicSimulator, until: number): Promise<DemoStories> {
  const c = sim.clinic;
  const at = sim.now;
  const rng = new SeededRandom(`${sim.derived.seed}:stories`);
  const primary = c.serviceLines[0]?.code;
  const specialists = c.providers.filter((p) => p.serviceLine.code !== primary);
  const pool = [...c.patients];
  const patient = () => {
    const p = rng.pick(pool);
    if (p === undefined || specialists.length < 2) throw new Error('the clinic is too small for the demo stories');
    pool.splice(pool.indexOf(p), 1);
    return p;
  };

  const referral = async (story: 'stalled' | 'closed-loop', toKey: string): Promise<string> => {
    const p = patient();
    const { state, result } = await sendReferral(c, {
      patientKey: p.key,
      fromKey: p.pcpKey,
      toKey,
      at,
      urgent: false,
      willLeak: false,
      willCancel: false,
      nextAt: at + 2 * HOUR,
    });
    state.story = story;
    await sim.record(result);
    return state.simId;
  };
  const stalledReferral = await referral('stalled', specialists[0]!.key);
  const closedLoopReferral = await referral('closed-loop', specialists[1]!.key);

  const recheck = async (
    slotOf: (pcpKey: string) => Promise<ReturnType<typeof freeSlots>[number]>,
    missed: boolean,
  ) => {
    const p = patient();
    const slot = await slotOf(p.pcpKey);
    const { state: order, result: ordered } = await orderRecheck(c, {
      patientKey: p.key,
      providerKey: p.pcpKey,
      at,
      dueAt: slot.start,
      nextAt: Number.MAX_SAFE_INTEGER,
    });
    sim.rechecks.set(order.simId, order);
    await sim.record(ordered);
    const { state, result } = await book(c, {
      patientKey: p.key,
      slot,
      purpose: 'follow-up',
      at,
      basedOn: { ref: refOf(order.serviceRequest), simId: order.simId },
    });
    Object.assign(state, { missed, scripted: true });
    order.phase = 'booked';
    order.appointmentSimId = state.simId;
    await sim.record({ ...result, references: [...result.references, refOf(order.serviceRequest)] });
    return state.simId;
  };
  const firstSlot = (pcpKey: string, after: number) => {
    const slot = freeSlots(c, pcpKey, after)[0];
    if (slot === undefined) throw new Error('no free slot for a demo story');
    return slot;
  };
  const noShowAppointment = await recheck((pcp) => Promise.resolve(firstSlot(pcp, at + DAY)), true);
  const reminderAppointment = await recheck(async (pcp) => {
    let day: LocalDate = addDays(c.zone.local(until), 1);
    while (isWeekend(day)) day = addDays(day, 1);
    // Beyond the slots opened so far: opened now for every provider, as the simulator's new day would.
    if (!c.openedDays.has(dateKey(day))) for (const p of c.providers) await openSlots(c, p, day);
    return firstSlot(pcp, c.zone.instant(day, c.openHour + 1) - 1);
  }, false);
  return { stalledReferral, closedLoopReferral, noShowAppointment, reminderAppointment };
}

/**
 * The front desk moves a booked appointment to its provider's next free slot after it (the patient
 * called): a change in the EHR (a new version, an HL7 S13) made between sim steps, at the clinic's
 * time. False when the appointment is no longer booked or no slot is free.
 */
export async function frontDeskMoves(sim: ClinicSimulator, simId: string): Promise<boolean> {
  return sim.between(async () => {
    const a = sim.clinic.appointments.get(simId);
    if (a === undefined || a.resource.status !== 'booked') return false;
    const slot = freeSlots(sim.clinic, a.providerKey, a.start)[0];
    if (slot === undefined) return false;
    const moved = await reschedule(sim.clinic, a, slot, sim.now);
    await sim.record(moved);
    return moved !== undefined;
  });
}
