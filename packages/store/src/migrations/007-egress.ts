/** Outbound destinations, and whether a business-associate agreement is on record for each. */
export const sql = `
create table egress_destinations (
  id uuid primary key,
  name text not null unique,
  kind text not null check (kind in ('ehr', 'messaging', 'ai', 'other')),
  base_url text not null,
  baa_on_record boolean not null,
  baa_reference text,
  allow_private_network boolean not null default false,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
`;
