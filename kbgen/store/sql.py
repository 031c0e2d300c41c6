"""The store's statements, named and parameterised (SQLite dialect; `:name` parameters)."""

from kbgen.events.schema import WIRE_FIELDS

EVENT_COLUMNS = (*WIRE_FIELDS, "received")

INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in EVENT_COLUMNS)}) "
    "ON CONFLICT (id) DO NOTHING"
)

SELECT_EVENTS = (
    f"SELECT {', '.join(WIRE_FIELDS)} FROM events "
    "WHERE ts >= :since AND ts < :until ORDER BY ts, id"
)

ADD_REJECTIONS = (
    "INSERT INTO rejections (day, reason, count) VALUES (:day, :reason, :n) "
    "ON CONFLICT (day, reason) DO UPDATE SET count = count + excluded.count"
)

SELECT_REJECTIONS = "SELECT reason, SUM(count) FROM rejections GROUP BY reason ORDER BY reason"

TICKET_COLUMNS = ("ticket_id", "session", "article", "ts", "subject", "body", "source")

INSERT_TICKET = (
    f"INSERT INTO tickets ({', '.join(TICKET_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in TICKET_COLUMNS)}) "
    "ON CONFLICT (ticket_id) DO NOTHING"
)

SCHEMA_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
SELECT_SCHEMA_VERSION = "SELECT MAX(version) FROM schema_version"
INSERT_SCHEMA_VERSION = "INSERT INTO schema_version (version) VALUES (:version)"
DELETE_SCHEMA_VERSION = "DELETE FROM schema_version"

# Report rollups (schema version 3, 0003_report_rollups.sql), kept by the SQLite store in
# each writing transaction. Day = ts / 86400000.
BUMP_DAY_VERSION = (
    "INSERT INTO report_day_versions (day, shard, version) VALUES (:day, 0, 1) "
    "ON CONFLICT (day, shard) DO UPDATE SET version = version + 1"
)
# Of the given sessions (a JSON array), those not yet listed whose events and tickets now
# span more than one UTC day: four MIN/MAX index probes per session.
NEW_MULTI_DAY_SESSIONS = """
WITH candidates AS (
    SELECT j.value AS session FROM json_each(:sessions) AS j
    WHERE NOT EXISTS (SELECT 1 FROM report_multi_day_sessions m WHERE m.session = j.value)
),
spans AS (
    SELECT session,
           (SELECT MIN(e.ts) FROM events e WHERE e.session = c.session) AS e_lo,
           (SELECT MAX(e.ts) FROM events e WHERE e.session = c.session) AS e_hi,
           (SELECT MIN(t.ts) FROM tickets t WHERE t.session = c.session) AS t_lo,
           (SELECT MAX(t.ts) FROM tickets t WHERE t.session = c.session) AS t_hi
    FROM candidates AS c
)
SELECT session FROM spans
WHERE min(coalesce(e_lo, t_lo), coalesce(t_lo, e_lo)) / 86400000
   <> max(coalesce(e_hi, t_hi), coalesce(t_hi, e_hi)) / 86400000
"""
ADD_MULTI_DAY_SESSION = (
    "INSERT OR IGNORE INTO report_multi_day_sessions (session) VALUES (:session)"
)
# The day rollups that counted the session as a single-day one are stale now.
BUMP_SESSION_DAYS = """
INSERT INTO report_day_versions (day, shard, version)
SELECT DISTINCT ts / 86400000, 0, 1 FROM (
    SELECT ts FROM events WHERE session = :session
    UNION ALL
    SELECT ts FROM tickets WHERE session = :session
) AS rows_ WHERE true
ON CONFLICT (day, shard) DO UPDATE SET version = version + 1
"""
