import Foundation
import GRDB
import TongxinStorage

/// The reception database: its tables and the versioned migrations that make them.
///
/// Instants are whole UTC seconds; statuses and purposes are their proto numbers, so a row
/// reads the same as the wire. Migrations are applied once per database, by whichever instance
/// opens it first; a later change to the tables is a new migration appended below.
public enum ReceptionSchema {
  public static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("reception.v1.tables", migrate: createTables)
    migrator.registerMigration("reception.v2.base-facts", migrate: BaseFacts.seed)
    return migrator
  }

  /// Opens (creating and migrating as needed) the reception database at `path`; instances
  /// opening a new file together take turns migrating it (ServiceDatabase).
  public static func open(path: String) throws -> ServiceDatabase {
    try ServiceDatabase(path: path, migrator: migrator)
  }

  private static func createTables(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE base_profile (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          name TEXT NOT NULL, english_name TEXT NOT NULL, location TEXT NOT NULL,
          area_square_metres INTEGER NOT NULL);
        CREATE TABLE base_services (
          position INTEGER PRIMARY KEY, purpose INTEGER NOT NULL,
          name TEXT NOT NULL, english_name TEXT NOT NULL);
        CREATE TABLE honours (
          position INTEGER PRIMARY KEY, year INTEGER NOT NULL, month INTEGER NOT NULL,
          title TEXT NOT NULL, english_title TEXT NOT NULL, awarded_by TEXT NOT NULL);
        CREATE TABLE rooms (
          code TEXT PRIMARY KEY, position INTEGER NOT NULL,
          name TEXT NOT NULL, english_name TEXT NOT NULL,
          capacity INTEGER NOT NULL CHECK (capacity > 0),
          opens_minute INTEGER NOT NULL, closes_minute INTEGER NOT NULL,
          CHECK (0 <= opens_minute AND opens_minute < closes_minute AND closes_minute <= 1440));

        CREATE TABLE delegations (
          id INTEGER PRIMARY KEY,
          visiting_body TEXT NOT NULL, lead_official TEXT NOT NULL, lead_rank TEXT NOT NULL,
          senior_led INTEGER NOT NULL, head_count INTEGER NOT NULL, purpose INTEGER NOT NULL,
          start_at INTEGER NOT NULL, end_at INTEGER NOT NULL CHECK (start_at < end_at),
          host_member_id TEXT NOT NULL, status INTEGER NOT NULL, status_reason TEXT NOT NULL,
          notes TEXT NOT NULL, version INTEGER NOT NULL,
          created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE INDEX delegations_by_start ON delegations (start_at);
        CREATE INDEX delegations_by_end ON delegations (end_at);

        -- occupied_from/occupied_until are start and end widened by the buffers: the interval
        -- that must not meet another booked one of the same room.
        CREATE TABLE bookings (
          id INTEGER PRIMARY KEY,
          room_code TEXT NOT NULL REFERENCES rooms (code),
          start_at INTEGER NOT NULL, end_at INTEGER NOT NULL CHECK (start_at < end_at),
          setup_minutes INTEGER NOT NULL, teardown_minutes INTEGER NOT NULL,
          occupied_from INTEGER NOT NULL, occupied_until INTEGER NOT NULL,
          holder_kind TEXT NOT NULL CHECK (holder_kind IN ('event', 'delegation')),
          holder_id TEXT NOT NULL, title TEXT NOT NULL, hold_key TEXT NOT NULL UNIQUE,
          status INTEGER NOT NULL, release_reason TEXT NOT NULL, version INTEGER NOT NULL,
          created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE INDEX bookings_in_force ON bookings (room_code, occupied_from) WHERE status = 1;
        CREATE INDEX bookings_by_start ON bookings (start_at);
        CREATE INDEX bookings_by_holder ON bookings (holder_kind, holder_id);

        -- phone and id_number are personal data, cleared by the purge; the row stays.
        CREATE TABLE visitors (
          id INTEGER PRIMARY KEY,
          delegation_id INTEGER NOT NULL REFERENCES delegations (id),
          name TEXT NOT NULL, organisation TEXT NOT NULL, post TEXT NOT NULL,
          phone TEXT NOT NULL, id_number TEXT NOT NULL,
          checked_in_at INTEGER, checked_out_at INTEGER, personal_data_purged_at INTEGER,
          created_at INTEGER NOT NULL);
        CREATE INDEX visitors_by_delegation ON visitors (delegation_id);
        """)
  }
}
