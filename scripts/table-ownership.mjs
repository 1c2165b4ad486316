// Which code owns which SQL table, read by scripts/check-boundaries.mjs.
//
// One file for the whole repository, not one per package: the check is plain ESM that runs before
// any build (no TypeScript loader on Node 20), a table must have exactly one owner and that can
// only be seen in one place, and docs/architecture.md points at one list. It is a module rather
// than JSON so each debt can say why it is there.
//
// An owner is a folder: a package (`packages/ehr/`) or a folder inside one where the table holds
// PHI or belongs to one job (`packages/governance/src/records/`). Only code under the owner may name
// the table in SQL (FROM, JOIN, INTO, UPDATE, DELETE FROM, TRUNCATE, LOCK TABLE). Everyone else asks
// the owner's service. The migrations (packages/store/src/migrations/) create every table, and
// tests and benchmarks may read any table to check what they did landed; the check skips them.

/** Owner folder → the tables only it may touch. */
export const tableOwners = {
  'packages/store/': ['schema_migrations', 'settings'],
  'packages/governance/src/crypto/': ['data_keys'],
  'packages/governance/src/audit/': ['audit_log', 'audit_checkpoints', 'audit_signing_keys'],
  'packages/governance/src/identity/': [
    'users',
    'sessions',
    'api_tokens',
    'service_accounts',
    'login_failures',
    'smart_clients',
    'smart_assertion_jtis',
  ],
  'packages/governance/src/policy/': ['grants', 'break_glass'],
  'packages/governance/src/egress/': ['egress_destinations'],
  'packages/governance/src/retention/': ['retention_policies', 'legal_holds'],
  // PHI: the governed record store and the EHR journal (decide, audit, seal).
  'packages/governance/src/records/': ['records', 'record_index', 'ehr_inbound', 'ehr_events'],
  // PHI: the patient index (identifiers blind-indexed, demographics sealed).
  'packages/clinic/src/patients/': [
    'clinic_patients',
    'clinic_patient_keys',
    'clinic_patient_links',
    'clinic_patient_reviews',
  ],
  'packages/ehr/': ['ehr_connections', 'ehr_sync_state', 'ehr_referral_rules', 'ehr_connection_owners'],
  // PHI: sealed payloads and evidence.
  'packages/proposals/src/store/': ['proposals', 'proposal_history', 'approval_policies'],
  'packages/proposals/src/incidents/': ['incidents', 'incident_containment'],
  'packages/workflows/': [
    'workflow_instances',
    'workflow_history',
    'workflow_inbox',
    'workflow_effects',
    'workflow_links',
    'workflow_event_flags',
    'workflow_router_cursors',
    'workflow_patient_merges',
  ],
  // PHI: internal handoffs (what is asked and decline reasons sealed), their history and escalations.
  'packages/workflows/src/handoffs/': [
    'handoffs',
    'handoff_history',
    'handoff_escalations',
    'handoff_escalation_policies',
  ],
  // PHI: message bodies and contact preferences.
  'packages/messaging/src/': ['message_outbox', 'message_preferences'],
  // The clinic's sites and their clocks (no PHI).
  'packages/clinic/src/sites/': ['sites'],
  // The clinic's staff: users by name, their sites, pools and leads (no PHI).
  'packages/clinic/src/staff/': ['staff', 'staff_pool_members', 'on_call_rotas', 'on_call_shifts'],
  // Screen maps per EHR connection and site, versioned and reviewed (no PHI).
  'packages/automation/src/maps/': ['automation_screen_maps'],
  // The automation account's EHR credentials, sealed.
  'packages/automation/src/credentials/': ['automation_credentials'],
  'packages/relationships/': ['rel_relationship_types'],
  // PHI: screen automation's run record (sealed screenshots and values, digests in the audit chain).
  'packages/automation/src/runs/': ['automation_runs', 'automation_steps'],
  // PHI: intake documents (sealed bytes, page images, text and fields), arrivals, per-site intake policies.
  'packages/intake/src/store/': [
    'intake_files',
    'intake_pages',
    'intake_arrivals',
    'intake_documents',
    'intake_policies',
    'intake_webhook_sources',
  ],
  // PHI: parties, their identifiers, relationships and contact notes.
  'packages/relationships/src/graph/': [
    'rel_parties',
    'rel_party_index',
    'rel_relationships',
    'rel_notes',
    'rel_source_records',
    'rel_import_runs',
    'rel_merge_reviews',
  ],
  // A Steward patient's confirmed contact-graph party at a site (ids only).
  'packages/relationships/src/patient-links/': ['rel_patient_links'],
  // PHI (sealed): the events outbox, webhook subscriptions (secrets sealed) and their deliveries.
  'packages/events/': ['events_outbox', 'events_capture_cursors', 'events_subscriptions', 'events_deliveries'],
  // The clinic's directory: practitioners, organizations, locations, services (not PHI).
  'packages/clinic/src/directory/': ['directory_entries', 'directory_identifiers'],
};

/**
 * Debts: SQL on another owner's tables that exists today and is to be moved behind the owner's
 * service (issue 14, item 1). The check passes while a debt is true, fails on any violation not
 * listed here, and fails when a listed debt is no longer there (remove it, so the list only shrinks).
 * Keep each entry on one line: the check names that line when the debt is stale.
 */
export const tableDebts = [];
