/**
 * @module The five operations charts, each a ChartFigure with its table. Charts carry no ids:
 * every figure is an aggregate. Recharts' keyboard layer is off because the chart is hidden from
 * assistive technology; the table is the accessible form.
 */
import type { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { humanize } from '../../ui/format.js';
import { ChartFigure, colour, hoursText, percent } from './chart-figure.js';
import {
  queueAgeBuckets,
  type HourThroughput,
  type NoShowLine,
  type QueueAgeRow,
  type ReferralWeek,
  type StageDuration,
} from './operations-types.js';

const HEIGHT = 260;
const axisTick = { fill: '#4a5360', fontSize: 12 };
const pct = (rate: number | null): number | null => (rate === null ? null : Math.round(rate * 1000) / 10);

export function ReferralWeeksChart(props: { readonly weeks: readonly ReferralWeek[] }): ReactNode {
  const data = props.weeks.map((w) => ({
    week: w.week.slice(5),
    closed: pct(w.closureRate),
    leaked: pct(w.leakageRate),
  }));
  return (
    <ChartFigure
      title="Referral closure and leakage by week"
      description="Referrals sent each week (weeks start on Monday): the share closed (report back and request completed) and the share leaked (never scheduled, out of network or cancelled), as of now. Recent weeks read low until their loops have had time to close."
      empty={props.weeks.every((w) => w.started === 0)}
      emptyText="No referrals were sent in this period."
      table={{
        caption: 'Referrals sent per week: closed and leaked',
        columns: ['Week starting', 'Sent', 'Closed', 'Closure rate', 'Leaked', 'Leakage rate'],
        rows: props.weeks.map((w) => [
          w.week,
          w.started,
          w.closed,
          percent(w.closureRate),
          w.leaked,
          percent(w.leakageRate),
        ]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#c9d0d8" strokeDasharray="3 3" />
          <XAxis dataKey="week" tick={axisTick} />
          <YAxis unit="%" domain={[0, 100]} tick={axisTick} />
          <Tooltip formatter={(v) => `${String(v)}%`} />
          <Legend />
          <Line type="monotone" dataKey="closed" name="Closed" stroke={colour(2)} strokeWidth={2} connectNulls />
          <Line
            type="monotone"
            dataKey="leaked"
            name="Leaked"
            stroke={colour(1)}
            strokeWidth={2}
            strokeDasharray="6 3"
            connectNulls
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

export function TimeInStageChart(props: { readonly stages: readonly StageDuration[] }): ReactNode {
  // `closed` is where a referral ends: no one moves on from it.
  const stages = props.stages.filter((s) => s.stage !== 'closed');
  const data = stages.map((s) => ({ stage: humanize(s.stage), median: s.medianHours, p90: s.p90Hours }));
  return (
    <ChartFigure
      title="Time in referral stage"
      description="Hours a referral spent in each stage before moving on: the median, and the 90th percentile (nine in ten moved on sooner). Referrals sent in this period; stays still open are not counted."
      empty={stages.every((s) => s.count === 0)}
      emptyText="No referral has moved on from a stage in this period."
      table={{
        caption: 'Hours in each referral stage',
        columns: ['Stage', 'Stays counted', 'Median', '90th percentile'],
        rows: stages.map((s) => [humanize(s.stage), s.count, hoursText(s.medianHours), hoursText(s.p90Hours)]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#c9d0d8" strokeDasharray="3 3" />
          <XAxis dataKey="stage" tick={axisTick} />
          <YAxis tick={axisTick} label={{ value: 'hours', angle: -90, position: 'insideLeft', fill: '#4a5360' }} />
          <Tooltip formatter={(v) => `${String(v)} h`} />
          <Legend />
          <Bar dataKey="median" name="Median" fill={colour(0)} />
          <Bar dataKey="p90" name="90th percentile" fill={colour(4)} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

const lineLabel = (line: string): string =>
  line === 'ServiceRequest' ? 'Recheck ordered as a request' : line === 'Task' ? 'Recheck ordered as a task' : line;

export function NoShowChart(props: { readonly lines: readonly NoShowLine[] }): ReactNode {
  const data = props.lines.map((l) => ({ line: lineLabel(l.serviceLine), rate: pct(l.rate) }));
  return (
    <ChartFigure
      title="No-show rate by service line"
      description="Recheck follow-ups started in this period: missed appointments per appointment booked. The service line is how the recheck was ordered (as a service request or as a task): the follow-up does not record the order's code."
      empty={props.lines.every((l) => l.booked === 0)}
      emptyText="No follow-up appointments were booked in this period."
      table={{
        caption: 'No-shows per booked appointment, by service line',
        columns: ['Service line', 'Follow-ups', 'Booked', 'No-shows', 'No-show rate'],
        rows: props.lines.map((l) => [lineLabel(l.serviceLine), l.followups, l.booked, l.noShows, percent(l.rate)]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#c9d0d8" strokeDasharray="3 3" />
          <XAxis dataKey="line" tick={axisTick} />
          <YAxis unit="%" domain={[0, 100]} tick={axisTick} />
          <Tooltip formatter={(v) => `${String(v)}%`} />
          <Bar dataKey="rate" name="No-show rate" fill={colour(1)} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

export function ThroughputChart(props: {
  readonly hours: readonly HourThroughput[];
  readonly zone: string;
}): ReactNode {
  const data = props.hours.map((h) => ({ ...h, label: `${String(h.hour).padStart(2, '0')}:00` }));
  return (
    <ChartFigure
      title="Review throughput by hour of day"
      description={`Proposals decided by reviewers, approved automatically by policy, and written to the EHR, by the hour they happened (${props.zone}), added up over this period.`}
      empty={props.hours.every((h) => h.reviewed + h.autoApproved + h.committed === 0)}
      emptyText="No proposal was decided or written in this period."
      table={{
        caption: `Decisions and writes by hour of day (${props.zone})`,
        columns: ['Hour', 'Decided by reviewers', 'Approved by policy', 'Written to the EHR'],
        rows: data.map((h) => [h.label, h.reviewed, h.autoApproved, h.committed]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#c9d0d8" strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={axisTick} interval={2} />
          <YAxis allowDecimals={false} tick={axisTick} />
          <Tooltip />
          <Legend />
          <Bar dataKey="reviewed" name="Decided by reviewers" fill={colour(0)} />
          <Bar dataKey="autoApproved" name="Approved by policy" fill={colour(3)} />
          <Bar dataKey="committed" name="Written to the EHR" fill={colour(2)} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Priority 1 in red, then brown, blue, purple, green. */
const priorityColour = (priority: number): string => colour([1, 3, 0, 4, 2][priority - 1] ?? 0);

export function QueueAgeChart(props: { readonly rows: readonly QueueAgeRow[] }): ReactNode {
  // One bar per age, stacked by priority: how old the waiting work is, and how urgent.
  const data = queueAgeBuckets.map((b) => ({
    age: b.label,
    ...Object.fromEntries(props.rows.map((r) => [`p${String(r.priority)}`, r[b.key]])),
  }));
  return (
    <ChartFigure
      title="Review queue age"
      description="Proposals waiting for review now, by how long they have waited and by priority (1 is the most urgent)."
      empty={props.rows.every((r) => r.total === 0)}
      emptyText="Nothing is waiting for review."
      table={{
        caption: 'Proposals waiting for review, by priority and age',
        columns: ['Priority', ...queueAgeBuckets.map((b) => b.label), 'Total'],
        rows: props.rows.map((r) => [
          `Priority ${String(r.priority)}`,
          ...queueAgeBuckets.map((b) => r[b.key]),
          r.total,
        ]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#c9d0d8" strokeDasharray="3 3" />
          <XAxis dataKey="age" tick={axisTick} />
          <YAxis allowDecimals={false} tick={axisTick} />
          <Tooltip />
          <Legend />
          {props.rows.map((r) => (
            <Bar
              key={r.priority}
              dataKey={`p${String(r.priority)}`}
              name={`Priority ${String(r.priority)}`}
              stackId="age"
              fill={priorityColour(r.priority)}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
