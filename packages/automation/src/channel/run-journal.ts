/**
 * @module Where the screens channel opens and closes its runs: the run store (sealed steps, audit
 * chain) implements this port; `InMemoryRunJournal` is the real in-memory one for tests.
 */
import type { RunOutcome, RunRecorder, RunStart, StepRecord } from '../model/run.js';

/** An open run: its id, where its steps go, and how it ends. */
export interface RunHandle extends RunRecorder {
  readonly runId: string;
  finish(outcome: RunOutcome): Promise<void>;
}

export interface RunJournal {
  begin(start: RunStart): Promise<RunHandle>;
}

export interface JournalledRun {
  readonly runId: string;
  readonly start: RunStart;
  readonly steps: StepRecord[];
  outcome: RunOutcome | undefined;
}

export class InMemoryRunJournal implements RunJournal {
  readonly runs: JournalledRun[] = [];

  begin(start: RunStart): Promise<RunHandle> {
    const run: JournalledRun = { runId: `run-${this.runs.length + 1}`, start, steps: [], outcome: undefined };
    this.runs.push(run);
    return Promise.resolve({
      runId: run.runId,
      step: (s) => {
        run.steps.push(s);
        return Promise.resolve();
      },
      finish: (outcome) => {
        run.outcome = outcome;
        return Promise.resolve();
      },
    });
  }
}
