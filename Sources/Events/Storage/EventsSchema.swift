import GRDB
import TongxinStorage

/// The events database: its tables, created by versioned migrations.
///
/// Times are seconds since 1970 (UTC). `events.room_state` is the event's side of the room
/// saga with reception (see ``RoomState``); only events whose room state is `none` or `held`
/// are shown to callers, so no event ever claims a room it does not hold.
public enum EventsSchema {
  public static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("events.v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE series (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            kind INTEGER NOT NULL,
            associations TEXT NOT NULL,
            first_start INTEGER NOT NULL,
            first_end INTEGER NOT NULL,
            rrule TEXT NOT NULL,
            room_code TEXT,
            outside_place TEXT,
            capacity INTEGER NOT NULL,
            description TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at INTEGER NOT NULL
          );
          CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            kind INTEGER NOT NULL,
            -- Codes joined as ",a,b," so that one LIKE finds an organiser.
            associations TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            room_code TEXT,
            outside_place TEXT,
            capacity INTEGER NOT NULL,
            description TEXT NOT NULL,
            status INTEGER NOT NULL,
            status_reason TEXT NOT NULL DEFAULT '',
            series_id INTEGER REFERENCES series(id),
            booking_id TEXT,
            booking_version INTEGER NOT NULL DEFAULT 0,
            -- Bookings reserved so far: the n of the hold key "event-<id>/<n>".
            booking_seq INTEGER NOT NULL DEFAULT 0,
            room_state TEXT NOT NULL,
            -- When room_state last changed: the reconciler leaves young sagas alone.
            room_state_at INTEGER NOT NULL,
            -- A room change under way (room_state 'moving'): the update to apply once
            -- reception confirms it.
            pending_update BLOB,
            version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          );
          CREATE INDEX events_by_start ON events(start);
          CREATE INDEX events_by_series ON events(series_id, start);
          CREATE INDEX events_by_room_state ON events(room_state, room_state_at);
          CREATE TABLE registrations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            member_id TEXT,
            guest_name TEXT,
            guest_organisation TEXT,
            -- "m:<member id>" or "g:<name>\\u{1F}<organisation>": one live registration each.
            attendee_key TEXT NOT NULL,
            status INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            series_id INTEGER,
            registered_at INTEGER NOT NULL,
            promoted_at INTEGER,
            checked_in_at INTEGER,
            cancelled_at INTEGER,
            version INTEGER NOT NULL
          );
          CREATE UNIQUE INDEX registrations_by_sequence ON registrations(event_id, sequence);
          CREATE UNIQUE INDEX registrations_live ON registrations(event_id, attendee_key)
            WHERE status <> 3;
          CREATE INDEX registrations_by_attendee ON registrations(attendee_key);
          -- Idempotency keys of the creates that call reception (not answerable from one
          -- transaction): the key names the event or series it made.
          CREATE TABLE create_keys (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request BLOB NOT NULL,
            target_id INTEGER NOT NULL,
            PRIMARY KEY (scope, key)
          );
          """)
    }
    return migrator
  }

  /// Opens (creating and migrating) the events database at `path`.
  public static func open(path: String) throws -> ServiceDatabase {
    try ServiceDatabase(path: path, migrator: migrator)
  }
}

/// The event's side of the room saga with reception.
enum RoomState: String, Sendable {
  /// No room: an outside place, or the booking was released.
  case none
  /// Created, its booking being reserved: hidden until reception confirms.
  case pending
  /// Holds `booking_id`.
  case held
  /// A change of room or time is under way (`pending_update`); still holds its old booking.
  case moving
  /// Abandoned or cancelled: its bookings are being released; hidden when never created.
  case releasing
}
