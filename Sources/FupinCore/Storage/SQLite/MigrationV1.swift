/// Migration v1: the core schema as it was first shipped, frozen as SQL text.
///
/// Never edit this text: databases in the field were created by it. Schema changes are new
/// migrations appended in `Migrations.swift`; the test `SchemaMatchesDatabase` checks that the
/// migrated database agrees with `Schema.core`.
enum MigrationV1 {
    static let sql = #"""
CREATE TABLE "units" (
  "id" INTEGER PRIMARY KEY,
  "name" TEXT NOT NULL UNIQUE,
  "kind" TEXT,
  "group_head" TEXT,
  "group_head_post" TEXT,
  "group_deputy" TEXT,
  "group_deputy_post" TEXT,
  "supervision_phone" TEXT,
  "contact" TEXT,
  "credit_code" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE "towns" (
  "id" INTEGER PRIMARY KEY,
  "name" TEXT NOT NULL,
  "district" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE "villages" (
  "id" INTEGER PRIMARY KEY,
  "name" TEXT NOT NULL,
  "town_id" INTEGER NOT NULL REFERENCES "towns"("id"),
  "unit_id" INTEGER REFERENCES "units"("id"),
  "plan" TEXT,
  "in_planning_zone" INTEGER,
  "has_collective_land" INTEGER,
  "resident_population" INTEGER,
  "note" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "villages_town_id" ON "villages"("town_id");
CREATE INDEX "villages_unit_id" ON "villages"("unit_id");
CREATE TABLE "households" (
  "id" INTEGER PRIMARY KEY,
  "number" TEXT NOT NULL UNIQUE,
  "head_name" TEXT NOT NULL,
  "head_id_number" TEXT,
  "phone" TEXT,
  "village_id" INTEGER NOT NULL REFERENCES "villages"("id"),
  "natural_village" TEXT,
  "group" TEXT,
  "size" INTEGER,
  "standard" TEXT,
  "attribute" TEXT,
  "cause" TEXT,
  "other_cause" TEXT,
  "status" TEXT,
  "year_identified" INTEGER,
  "year_exited" INTEGER,
  "dangerous_housing" INTEGER,
  "safe_drinking_water" INTEGER,
  "drinking_water_difficulty" INTEGER,
  "reported_income_per_capita" INTEGER,
  "special_needs" TEXT,
  "wants_to_develop" TEXT,
  "goal" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "households_village_id" ON "households"("village_id");
CREATE TABLE "members" (
  "id" INTEGER PRIMARY KEY,
  "household_id" INTEGER NOT NULL REFERENCES "households"("id"),
  "number" TEXT UNIQUE,
  "name" TEXT NOT NULL,
  "sex" TEXT,
  "id_number" TEXT,
  "birth_date" TEXT,
  "relation" TEXT,
  "ethnicity" TEXT,
  "education" TEXT,
  "schooling" TEXT,
  "health" TEXT,
  "labour" TEXT,
  "migrant_status" TEXT,
  "migrant_months" INTEGER,
  "medical_insurance" INTEGER,
  "pension_insurance" INTEGER,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "members_household_id" ON "members"("household_id");
CREATE TABLE "cadres" (
  "id" INTEGER PRIMARY KEY,
  "name" TEXT NOT NULL,
  "sex" TEXT,
  "unit_id" INTEGER NOT NULL REFERENCES "units"("id"),
  "post" TEXT,
  "phone" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "cadres_unit_id" ON "cadres"("unit_id");
CREATE TABLE "pairings" (
  "id" INTEGER PRIMARY KEY,
  "cadre_id" INTEGER NOT NULL REFERENCES "cadres"("id"),
  "household_id" INTEGER NOT NULL REFERENCES "households"("id"),
  "start_date" TEXT,
  "end_date" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "pairings_cadre_id" ON "pairings"("cadre_id");
CREATE INDEX "pairings_household_id" ON "pairings"("household_id");
CREATE TABLE "teams" (
  "id" INTEGER PRIMARY KEY,
  "unit_id" INTEGER NOT NULL REFERENCES "units"("id"),
  "village_id" INTEGER NOT NULL REFERENCES "villages"("id"),
  "name" TEXT,
  "start_date" TEXT,
  "end_date" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "teams_unit_id" ON "teams"("unit_id");
CREATE INDEX "teams_village_id" ON "teams"("village_id");
CREATE TABLE "team_members" (
  "id" INTEGER PRIMARY KEY,
  "team_id" INTEGER NOT NULL REFERENCES "teams"("id"),
  "cadre_id" INTEGER NOT NULL REFERENCES "cadres"("id"),
  "role" TEXT NOT NULL
);
CREATE INDEX "team_members_team_id" ON "team_members"("team_id");
CREATE INDEX "team_members_cadre_id" ON "team_members"("cadre_id");
CREATE TABLE "measures" (
  "id" INTEGER PRIMARY KEY,
  "household_id" INTEGER NOT NULL REFERENCES "households"("id"),
  "year" INTEGER NOT NULL,
  "category" TEXT NOT NULL,
  "description" TEXT,
  "planned_quarter" INTEGER,
  "funds" INTEGER,
  "expected_income_gain" INTEGER,
  "done" INTEGER DEFAULT 0,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "measures_household_id" ON "measures"("household_id");
CREATE TABLE "distributions" (
  "id" INTEGER PRIMARY KEY,
  "date" TEXT NOT NULL,
  "household_id" INTEGER REFERENCES "households"("id"),
  "village_id" INTEGER REFERENCES "villages"("id"),
  "item" TEXT NOT NULL,
  "quantity" REAL NOT NULL,
  "unit" TEXT,
  "value" INTEGER,
  "fund_source" TEXT,
  "cadre_id" INTEGER REFERENCES "cadres"("id"),
  "note" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "distributions_household_id" ON "distributions"("household_id");
CREATE INDEX "distributions_village_id" ON "distributions"("village_id");
CREATE INDEX "distributions_cadre_id" ON "distributions"("cadre_id");
CREATE TABLE "funds" (
  "id" INTEGER PRIMARY KEY,
  "date" TEXT NOT NULL,
  "unit_id" INTEGER NOT NULL REFERENCES "units"("id"),
  "direction" TEXT NOT NULL,
  "amount" INTEGER NOT NULL,
  "source" TEXT,
  "purpose" TEXT,
  "village_id" INTEGER REFERENCES "villages"("id"),
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "funds_unit_id" ON "funds"("unit_id");
CREATE INDEX "funds_village_id" ON "funds"("village_id");
CREATE TABLE "incomes" (
  "id" INTEGER PRIMARY KEY,
  "household_id" INTEGER NOT NULL REFERENCES "households"("id"),
  "year" INTEGER NOT NULL,
  "category" TEXT NOT NULL,
  "subcategory" TEXT,
  "amount" INTEGER NOT NULL,
  "cost" INTEGER,
  "note" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "incomes_household_id" ON "incomes"("household_id");
CREATE TABLE "poverty_lines" (
  "id" INTEGER PRIMARY KEY,
  "year" INTEGER NOT NULL UNIQUE,
  "amount" INTEGER NOT NULL,
  "note" TEXT
);
CREATE TABLE "trainings" (
  "id" INTEGER PRIMARY KEY,
  "date" TEXT NOT NULL,
  "unit_id" INTEGER REFERENCES "units"("id"),
  "topic" TEXT NOT NULL,
  "trainer" TEXT,
  "mode" TEXT,
  "village_id" INTEGER REFERENCES "villages"("id"),
  "hours" REAL,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "trainings_unit_id" ON "trainings"("unit_id");
CREATE INDEX "trainings_village_id" ON "trainings"("village_id");
CREATE TABLE "training_attendees" (
  "id" INTEGER PRIMARY KEY,
  "training_id" INTEGER NOT NULL REFERENCES "trainings"("id"),
  "member_id" INTEGER REFERENCES "members"("id"),
  "household_id" INTEGER REFERENCES "households"("id")
);
CREATE INDEX "training_attendees_training_id" ON "training_attendees"("training_id");
CREATE INDEX "training_attendees_member_id" ON "training_attendees"("member_id");
CREATE INDEX "training_attendees_household_id" ON "training_attendees"("household_id");
CREATE TABLE "visits" (
  "id" INTEGER PRIMARY KEY,
  "date" TEXT NOT NULL,
  "cadre_id" INTEGER NOT NULL REFERENCES "cadres"("id"),
  "household_id" INTEGER NOT NULL REFERENCES "households"("id"),
  "mode" TEXT NOT NULL,
  "content" TEXT,
  "result" TEXT,
  "problems" TEXT,
  "follow_up" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "visits_cadre_id" ON "visits"("cadre_id");
CREATE INDEX "visits_household_id" ON "visits"("household_id");
CREATE TABLE "eco_projects" (
  "id" INTEGER PRIMARY KEY,
  "unit_id" INTEGER REFERENCES "units"("id"),
  "name" TEXT NOT NULL,
  "year" INTEGER NOT NULL,
  "planned_area" INTEGER,
  "completed_area" INTEGER,
  "note" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "eco_projects_unit_id" ON "eco_projects"("unit_id");
CREATE TABLE "ranger_posts" (
  "id" INTEGER PRIMARY KEY,
  "member_id" INTEGER NOT NULL REFERENCES "members"("id"),
  "unit_id" INTEGER REFERENCES "units"("id"),
  "year" INTEGER NOT NULL,
  "wage" INTEGER NOT NULL,
  "start_date" TEXT,
  "end_date" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "ranger_posts_member_id" ON "ranger_posts"("member_id");
CREATE INDEX "ranger_posts_unit_id" ON "ranger_posts"("unit_id");
CREATE TABLE "monitoring" (
  "id" INTEGER PRIMARY KEY,
  "household_id" INTEGER NOT NULL REFERENCES "households"("id"),
  "year" INTEGER,
  "risk_type" TEXT NOT NULL,
  "identified_date" TEXT NOT NULL,
  "removed_date" TEXT,
  "reason" TEXT,
  "valid" INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX "monitoring_household_id" ON "monitoring"("household_id");
CREATE TABLE "notes" (
  "id" INTEGER PRIMARY KEY,
  "year" INTEGER NOT NULL,
  "unit_id" INTEGER NOT NULL REFERENCES "units"("id"),
  "kind" TEXT NOT NULL,
  "position" INTEGER,
  "text" TEXT NOT NULL
);
CREATE INDEX "notes_unit_id" ON "notes"("unit_id");
CREATE TABLE "audit_log" (
  "id" INTEGER PRIMARY KEY,
  "time" TEXT NOT NULL,
  "operator" TEXT NOT NULL,
  "source" TEXT NOT NULL,
  "collection" TEXT NOT NULL,
  "record_id" INTEGER NOT NULL,
  "action" TEXT NOT NULL CHECK ("action" IN ('insert', 'update', 'remove')),
  "before" TEXT,
  "after" TEXT
);
"""#
}
