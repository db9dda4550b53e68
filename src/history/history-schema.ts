// The history store's tables. The run folders stay the source of truth: every row here can be
// rebuilt from reports/<run-id>/ (`faultline history rebuild`), so a schema change only bumps the
// version and re-indexes, it never migrates data in place.

/** Bumped whenever a table changes; a store of another version is rebuilt from the run folders. */
export const HISTORY_SCHEMA_VERSION = 1;

/** The tables, created when the store is new (or rebuilt). */
export const HISTORY_DDL = `
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('run', 'gameday', 'skipped')),
  dir TEXT NOT NULL,
  title TEXT,
  plan TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  duration_ms REAL,
  verdict TEXT NOT NULL,
  exit_code INTEGER,
  heal INTEGER,
  heal_delay_ms REAL,
  gate INTEGER,
  host TEXT,
  faultline TEXT,
  targets TEXT NOT NULL DEFAULT '[]',
  reason TEXT,
  rebuilt_from_journal INTEGER NOT NULL DEFAULT 0,
  indexed_at TEXT NOT NULL
);
CREATE INDEX runs_started ON runs (started_at);
CREATE TABLE scenarios (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  scenario_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  title TEXT,
  configuration TEXT NOT NULL,
  baseline_configuration TEXT NOT NULL,
  verdict TEXT NOT NULL,
  fault_type TEXT,
  fmea_id TEXT,
  severity INTEGER,
  expect_recovered INTEGER,
  expect_ttd_ms REAL,
  expect_rto_ms REAL,
  expect_data_loss INTEGER,
  steady_state_probes INTEGER,
  completed INTEGER NOT NULL,
  recovered INTEGER NOT NULL,
  ttd_p50 REAL, ttd_p95 REAL, ttd_max REAL,
  rto_p50 REAL, rto_p95 REAL, rto_max REAL,
  data_lost INTEGER,
  PRIMARY KEY (run_id, scenario_id)
);
CREATE INDEX scenarios_by_id ON scenarios (scenario_id, baseline_configuration);
CREATE TABLE scenario_runs (
  run_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  status TEXT NOT NULL,
  recovered INTEGER NOT NULL,
  detected INTEGER NOT NULL,
  ttd_ms REAL,
  rto_ms REAL,
  resolution_ms REAL,
  probes_failed INTEGER,
  steady_state_probes INTEGER,
  data_lost INTEGER,
  target_detected_ms REAL,
  PRIMARY KEY (run_id, scenario_id, idx),
  FOREIGN KEY (run_id, scenario_id) REFERENCES scenarios (run_id, scenario_id) ON DELETE CASCADE
);
CREATE TABLE notes (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  at REAL,
  scenario_id TEXT,
  author TEXT,
  message TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
`;
