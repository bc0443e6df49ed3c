import GRDB

/// The tables of the membership database and their versioned migrations.
///
/// Migrations are applied when an instance opens the database, each once, whichever instance
/// gets there first (``TongxinStorage/ServiceDatabase``). Never edit a migration that has
/// shipped: add the next one.
///
/// Times are INTEGER nanoseconds since the Unix epoch (UTC); enums are their proto numbers.
enum MembershipSchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("membership.v1", migrate: v1)
    return migrator
  }

  private static func v1(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE company (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          unit TEXT NOT NULL,
          stock_code TEXT,
          version INTEGER NOT NULL,
          created_ns INTEGER NOT NULL,
          updated_ns INTEGER NOT NULL
        );
        CREATE TABLE person (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          company_id TEXT REFERENCES company(id),
          company_post TEXT NOT NULL,
          title_level INTEGER NOT NULL,
          category INTEGER NOT NULL,
          political_affiliation INTEGER NOT NULL,
          phone TEXT NOT NULL,
          email TEXT NOT NULL,
          version INTEGER NOT NULL,
          created_ns INTEGER NOT NULL,
          updated_ns INTEGER NOT NULL
        );
        CREATE INDEX person_by_name ON person(name, id);
        CREATE INDEX person_by_company ON person(company_id);
        CREATE TABLE person_tag (
          person_id TEXT NOT NULL REFERENCES person(id),
          position INTEGER NOT NULL,
          tag TEXT NOT NULL,
          PRIMARY KEY (person_id, position)
        );
        CREATE INDEX person_tag_by_tag ON person_tag(tag, person_id);
        CREATE TABLE association (
          code TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          description TEXT NOT NULL,
          kind INTEGER NOT NULL,
          position INTEGER NOT NULL
        );
        CREATE TABLE membership (
          id TEXT PRIMARY KEY,
          person_id TEXT NOT NULL REFERENCES person(id),
          association_code TEXT NOT NULL REFERENCES association(code),
          post INTEGER NOT NULL,
          status INTEGER NOT NULL,
          joined_ns INTEGER NOT NULL,
          left_ns INTEGER,
          version INTEGER NOT NULL,
          created_ns INTEGER NOT NULL
        );
        -- One membership that has not ended per person and association (5 = LEFT): the
        -- database itself refuses a second, whichever instance tries.
        CREATE UNIQUE INDEX membership_open ON membership(person_id, association_code)
          WHERE status <> 5;
        CREATE INDEX membership_by_association ON membership(association_code, status);
        CREATE TABLE membership_change (
          sequence INTEGER PRIMARY KEY AUTOINCREMENT,
          membership_id TEXT NOT NULL REFERENCES membership(id),
          person_id TEXT NOT NULL,
          association_code TEXT NOT NULL,
          kind INTEGER NOT NULL,
          from_post INTEGER NOT NULL,
          to_post INTEGER NOT NULL,
          from_status INTEGER NOT NULL,
          to_status INTEGER NOT NULL,
          effective_ns INTEGER NOT NULL,
          recorded_ns INTEGER NOT NULL,
          changed_by TEXT NOT NULL,
          reason TEXT NOT NULL
        );
        CREATE INDEX membership_change_by_person ON membership_change(person_id, effective_ns);
        CREATE INDEX membership_change_by_membership
          ON membership_change(membership_id, effective_ns);
        CREATE TABLE recommendation (
          id TEXT PRIMARY KEY,
          nominee_person_id TEXT NOT NULL REFERENCES person(id),
          track INTEGER NOT NULL,
          target INTEGER NOT NULL,
          target_association_code TEXT NOT NULL,
          nominator TEXT NOT NULL,
          reasons TEXT NOT NULL,
          status INTEGER NOT NULL,
          rejection_reason TEXT NOT NULL,
          version INTEGER NOT NULL,
          created_ns INTEGER NOT NULL,
          updated_ns INTEGER NOT NULL
        );
        CREATE INDEX recommendation_by_created ON recommendation(created_ns, id);
        CREATE TABLE recommendation_step (
          sequence INTEGER PRIMARY KEY AUTOINCREMENT,
          recommendation_id TEXT NOT NULL REFERENCES recommendation(id),
          from_status INTEGER NOT NULL,
          to_status INTEGER NOT NULL,
          at_ns INTEGER NOT NULL,
          taken_by TEXT NOT NULL,
          note TEXT NOT NULL
        );
        CREATE INDEX recommendation_step_by_recommendation
          ON recommendation_step(recommendation_id, sequence);
        """)
    try appendOnly("membership_change", db)
    try appendOnly("recommendation_step", db)
    try seedAssociations(db)
  }

  /// History is append-only: the database refuses to change or delete a row, so no bug or
  /// hand-written SQL can rewrite the past.
  private static func appendOnly(_ table: String, _ db: Database) throws {
    for operation in ["UPDATE", "DELETE"] {
      try db.execute(
        sql: """
          CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
          BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END;
          """)
    }
  }

  /// The tower's associations and branches are fixed (DOMAIN.md): created with the schema.
  private static func seedAssociations(_ db: Database) throws {
    let rows: [(String, String, String, Int)] = [
      ("zhilianhui", "达实大厦知联会", "Association of non-party intellectuals", 1),
      ("xinlianhui", "达实大厦新联会", "Association of new-social-strata people", 1),
      ("zhigong", "达实大厦致公党支部", "Branch of the China Zhi Gong Party", 2),
      ("jiusan", "达实大厦九三学社支部", "Branch of the Jiusan Society", 2),
    ]
    for (position, row) in rows.enumerated() {
      try db.execute(
        sql: """
          INSERT INTO association (code, name, description, kind, position)
          VALUES (?, ?, ?, ?, ?)
          """, arguments: [row.0, row.1, row.2, row.3, position])
    }
  }
}
