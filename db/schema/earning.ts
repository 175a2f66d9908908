import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  check,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { createdAt, id, points } from './columns';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** What a reward rule pays for. Exactly one rule per activity; its terms are versioned. */
export const ruleActivities = ['volunteering', 'grid_report', 'safety_streak', 'safety_challenge'] as const;
export type RuleActivity = (typeof ruleActivities)[number];

export const gridCategories = [
  'pothole',
  'broken_manhole_cover',
  'road_collapse',
  'obstacle',
  'sanitation',
  'signal_fault',
  'other',
] as const;
export type GridCategory = (typeof gridCategories)[number];

/** A reward rule: the stable identity. What it pays lives in its versions. */
export const rewardRules = pgTable('reward_rules', {
  id: id(),
  activity: text('activity', { enum: ruleActivities }).notNull().unique(),
  name: text('name').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: createdAt(),
});

/**
 * One version of a rule's terms, effective from a moment on. Versions are append-only (a change
 * is a new version): an activity is paid under the version effective when it happened, and
 * every earning records that version.
 */
export const rewardRuleVersions = pgTable(
  'reward_rule_versions',
  {
    id: id(),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => rewardRules.id),
    version: integer('version').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    /** False switches the rule off from `effectiveFrom` on. */
    enabled: boolean('enabled').notNull().default(true),
    /** The rule's terms (`RuleTerms` in api/earning/rules.ts): points, unit, conditions, caps, multipliers. */
    terms: jsonb('terms').notNull(),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reward_rule_versions_uq').on(t.ruleId, t.version),
    index('reward_rule_versions_effective_idx').on(t.ruleId, t.effectiveFrom),
  ],
);

export const earningSources = ['volunteering', 'grid_report', 'safety_streak', 'safety_challenge', 'award'] as const;
export type EarningSource = (typeof earningSources)[number];

/**
 * Every payment earning made: what it was for, under which rule version, the arithmetic, and
 * the ledger transfer that carried it. `key` is the ledger idempotency key, derived from the
 * activity (and the rule version), so paying the same activity twice is impossible.
 */
export const earnings = pgTable(
  'earnings',
  {
    id: id(),
    key: text('key').notNull().unique(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => users.id),
    source: text('source', { enum: earningSources }).notNull(),
    sourceId: text('source_id').notNull(),
    ruleVersionId: uuid('rule_version_id').references(() => rewardRuleVersions.id),
    /** Units the rule counted (hours, reports, milestones) after caps. */
    units: numeric('units', { precision: 12, scale: 2 }).notNull(),
    /** Units the activity asked for, before caps. */
    requestedUnits: numeric('requested_units', { precision: 12, scale: 2 }).notNull(),
    basePoints: points('base_points').notNull(),
    multiplier: numeric('multiplier', { precision: 6, scale: 3 }).notNull(),
    grade: text('grade'),
    points: points('points').notNull(),
    /** When the activity happened: the period its caps count in. */
    activityAt: timestamp('activity_at', { withTimezone: true }).notNull(),
    transferId: uuid('transfer_id'),
    reason: text('reason'),
    actorId: uuid('actor_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('earnings_driver_activity_idx').on(t.driverId, t.source, t.activityAt),
    // one payment per activity (per milestone, per award request), whatever the rule version
    uniqueIndex('earnings_source_uq').on(t.source, t.sourceId),
    index('earnings_created_idx').on(t.createdAt),
    check('earnings_points_nonneg', sql`${t.points} >= 0`),
  ],
);

/** Uploaded images (evidence and grid report photos), kept in the database; see README. */
export const photos = pgTable('photos', {
  id: id(),
  ownerId: uuid('owner_id')
    .notNull()
    .references(() => users.id),
  mime: text('mime').notNull(),
  bytes: integer('bytes').notNull(),
  sha256: text('sha256').notNull(),
  content: bytea('content').notNull(),
  createdAt: createdAt(),
});

export const claimStatuses = ['submitted', 'approved', 'rejected'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

/** A volunteering record: claimed by a driver, or imported from an attendance CSV. */
export const volunteerClaims = pgTable(
  'volunteer_claims',
  {
    id: id(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => users.id),
    event: text('event').notNull(),
    organiser: text('organiser'),
    activityDate: date('activity_date', { mode: 'string' }).notNull(),
    hours: numeric('hours', { precision: 5, scale: 2 }).notNull(),
    photoId: uuid('photo_id').references(() => photos.id),
    status: text('status', { enum: claimStatuses }).notNull().default('submitted'),
    reason: text('reason'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    importId: uuid('import_id'),
    importLine: integer('import_line'),
    /** Imported rows: driver + event + date, so re-importing the same attendance adds nothing. */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: createdAt(),
  },
  (t) => [
    index('volunteer_claims_driver_idx').on(t.driverId, t.createdAt),
    index('volunteer_claims_status_idx').on(t.status, t.createdAt),
    check('volunteer_claims_hours', sql`${t.hours} > 0 and ${t.hours} <= 24`),
  ],
);

export const importStatuses = ['processing', 'done', 'failed'] as const;

/** An attendance CSV upload: kept whole, processed in the background, progress visible. */
export const volunteerImports = pgTable('volunteer_imports', {
  id: id(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  content: bytea('content').notNull(),
  status: text('status', { enum: importStatuses }).notNull().default('processing'),
  totalRows: integer('total_rows'),
  processedRows: integer('processed_rows').notNull().default(0),
  applied: integer('applied').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  /** Row-level problems: `[{line, message}]`. */
  errors: jsonb('errors').notNull().default(sql`'[]'::jsonb`),
  failure: text('failure'),
  uploadedBy: uuid('uploaded_by').references(() => users.id),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  /** How many lanes the rows are dealt into (by driver); fixed when the file is stored. */
  lanes: smallint('lanes').notNull().default(1),
});

/**
 * Where each lane of an import has got to: a lane's rows are processed in line order, a chunk at
 * a time, each chunk claimed under this row's lock; lanes run side by side.
 */
export const volunteerImportLanes = pgTable(
  'volunteer_import_lanes',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => volunteerImports.id),
    lane: smallint('lane').notNull(),
    processedRows: integer('processed_rows').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.importId, t.lane] })],
);

export const safetyKinds = ['violation', 'accident', 'inspection_passed'] as const;
export type SafetyKind = (typeof safetyKinds)[number];
export const safetySeverities = ['minor', 'major', 'at_fault_minor', 'serious'] as const;
export type SafetySeverity = (typeof safetySeverities)[number];

/** A safety record from the committee or an integration; `external_id` makes re-posting a no-op. */
export const safetyEvents = pgTable(
  'safety_events',
  {
    id: id(),
    externalId: text('external_id').notNull().unique(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: safetyKinds }).notNull(),
    severity: text('severity', { enum: safetySeverities }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    note: text('note'),
    /** Set when an upheld appeal voids the event: it then counts for nothing. */
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('safety_events_driver_idx').on(t.driverId, t.occurredAt),
    // the committee's newest-first list over every driver (scanned backwards)
    index('safety_events_recent_idx').on(t.occurredAt, t.id),
    check(
      'safety_events_severity_shape',
      sql`(${t.kind} = 'violation' and ${t.severity} in ('minor', 'major'))
        or (${t.kind} = 'accident' and ${t.severity} in ('at_fault_minor', 'serious'))
        or (${t.kind} = 'inspection_passed' and ${t.severity} is null)`,
    ),
  ],
);

export const reportStatuses = ['submitted', 'verified', 'forwarded', 'resolved', 'closed', 'rejected', 'duplicate'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** A road defect a driver reported: photo, place, category; verified, forwarded, followed up. */
export const gridReports = pgTable(
  'grid_reports',
  {
    id: id(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => users.id),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id),
    lat: numeric('lat', { precision: 9, scale: 6 }).notNull(),
    lng: numeric('lng', { precision: 9, scale: 6 }).notNull(),
    category: text('category', { enum: gridCategories }).notNull(),
    note: text('note').notNull().default(''),
    status: text('status', { enum: reportStatuses }).notNull().default('submitted'),
    department: text('department'),
    /** An open report of the same category within 50 m and 7 days, flagged for the verifier. */
    likelyDuplicateOf: uuid('likely_duplicate_of'),
    /** `driver-key:<driver>:<Idempotency-Key>` when filed with one: a retried upload finds the first report. */
    requestKey: text('request_key').unique(),
    /** What that request asked for (category, place, note, photo digest), to tell a retry from a different report. */
    requestHash: text('request_hash'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('grid_reports_driver_idx').on(t.driverId, t.createdAt),
    index('grid_reports_status_idx').on(t.status, t.createdAt),
    index('grid_reports_place_idx').on(t.category, t.lat, t.lng),
    check('grid_reports_lat', sql`${t.lat} between -90 and 90`),
    check('grid_reports_lng', sql`${t.lng} between -180 and 180`),
  ],
);

/** Every step of a report's life, with who and when: collect → forward → follow up. */
export const gridReportEvents = pgTable(
  'grid_report_events',
  {
    id: id(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => gridReports.id),
    fromStatus: text('from_status', { enum: reportStatuses }),
    toStatus: text('to_status', { enum: reportStatuses }).notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    department: text('department'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('grid_report_events_report_idx').on(t.reportId, t.createdAt)],
);

export const appealSubjects = ['volunteer_claim', 'grid_report', 'safety_event'] as const;
export type AppealSubject = (typeof appealSubjects)[number];
export const appealStatuses = ['open', 'upheld', 'dismissed'] as const;

/** A driver asking the committee to look again at a rejected claim/report or a safety event. */
export const appeals = pgTable(
  'appeals',
  {
    id: id(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => users.id),
    subjectType: text('subject_type', { enum: appealSubjects }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: appealStatuses }).notNull().default('open'),
    decisionNote: text('decision_note'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('appeals_status_idx').on(t.status, t.createdAt),
    index('appeals_driver_idx').on(t.driverId, t.createdAt),
    // one open appeal per subject at a time
    uniqueIndex('appeals_open_uq').on(t.subjectType, t.subjectId).where(sql`${t.status} = 'open'`),
  ],
);

/** Programme settings the committee changes (award maximum, points expiry …); audited. */
export const programmeSettings = pgTable('programme_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** A driver's inbox: expiry notices, rating changes, decisions. `dedupe_key` makes notices once-only. */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data'),
    dedupeKey: text('dedupe_key').unique(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);
