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

TICKET_COLUMNS = ("ticket_id", "session", "article", "ts", "subject", "source")

INSERT_TICKET = (
    f"INSERT INTO tickets ({', '.join(TICKET_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in TICKET_COLUMNS)}) "
    "ON CONFLICT (ticket_id) DO NOTHING"
)

SCHEMA_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
SELECT_SCHEMA_VERSION = "SELECT MAX(version) FROM schema_version"
INSERT_SCHEMA_VERSION = "INSERT INTO schema_version (version) VALUES (:version)"
DELETE_SCHEMA_VERSION = "DELETE FROM schema_version"
