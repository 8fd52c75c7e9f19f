"""organisations: teams side by side, their admins and organisation-wide cycles

Revision ID: organisation
Revises: grouplink

Data migration: every existing team becomes the one team of an organisation of its own, named
after the team and with the team's id as its id (so the mapping needs no lookup table and the
downgrade needs no guess). Its active managers become that organisation's admins: today they are
the people who run the team, and an organisation without an admin could be run only by ADMIN_IDS.
The migrated organisations' rhythm is "off", so every team keeps its own rhythm exactly as before;
an organisation made later with /neworg runs its teams' rhythm itself (default quarterly).

SQLite cannot add a NOT NULL foreign key to `teams` in place, and Alembic's batch mode rebuilds a
table by dropping the old one: with foreign keys on (they are, `bot.db.engine`) that drop deletes
every membership, cycle and response by cascade, and renaming the old table first does not help
(with foreign keys on, SQLite rewrites the other tables' references to the renamed table, even
with `legacy_alter_table`). So on SQLite the column is added by ALTER TABLE, filled, and its
constraints written into the stored table definition (`_rewrite_sqlite`); the downgrade strips
them the same way and drops the column with ALTER TABLE. Nothing is copied or cascaded, and it
is all one transaction. PostgreSQL alters in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import CreateTable

import bot.db.models

revision: str = "organisation"
down_revision: str | None = "grouplink"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.db.models.UTCDateTime


def _teams(metadata: sa.MetaData, mode: str) -> sa.Table:
    """`teams` after the upgrade ("full"), or with a plain `organisation_id` ("bare")."""
    columns: list[sa.Column[object]] = [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("default_scope", sa.String(length=16), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("use_groups", sa.Boolean(), nullable=False),
        sa.Column("share_results", sa.Boolean(), nullable=False),
        sa.Column("anonymity_threshold", sa.SmallInteger(), nullable=False),
        sa.Column("reassessment", sa.String(length=16), nullable=False),
        sa.Column("next_reassessment_at", UTC(timezone=True), nullable=True),
        sa.Column("reminders_enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
    ]
    columns.append(
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisations.id"),
                  nullable=False, index=True) if mode == "full"
        else sa.Column("organisation_id", sa.Integer(), nullable=True))
    return sa.Table("teams", metadata, *columns)


def _cycles(metadata: sa.MetaData, mode: str) -> sa.Table:
    """`cycles` after the upgrade ("full"), or with a plain `organisation_cycle_id` ("bare")."""
    columns: list[sa.Column[object]] = [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("scope_id", sa.String(length=16), nullable=False),
        sa.Column("opened_by", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", UTC(timezone=True), nullable=False),
        sa.Column("deadline", UTC(timezone=True), nullable=False),
        sa.Column("closed_at", UTC(timezone=True), nullable=True),
        sa.Column("last_manual_reminder_at", UTC(timezone=True), nullable=True),
    ]
    columns.append(
        sa.Column("organisation_cycle_id", sa.Integer(),
                  sa.ForeignKey("organisation_cycles.id", ondelete="SET NULL"), nullable=True,
                  index=True) if mode == "full"
        else sa.Column("organisation_cycle_id", sa.Integer(), nullable=True))
    return sa.Table("cycles", metadata, *columns, sa.Index(
        "uq_cycles_one_open_per_team", "team_id", unique=True,
        sqlite_where=sa.text("closed_at IS NULL")))


def _rewrite_sqlite(table: sa.Table, added: str, upgrade: bool) -> None:
    """Add (or before a drop, strip) a column's NOT NULL and foreign key on SQLite, in place.

    The column itself is added and dropped by SQLite's own ALTER TABLE; its constraints are
    written into the table's stored definition (SQLite's documented procedure for constraint
    changes that leave the stored rows as they are), which is then the very CREATE TABLE that
    SQLAlchemy renders for the new model. The column stays the last one, as ALTER TABLE put it.
    """
    bind = op.get_bind()
    stored = [row[1] for row in bind.exec_driver_sql(f"PRAGMA table_info({table.name})")]
    if stored != [column.name for column in table.columns]:  # written for this schema only
        raise RuntimeError(f"{table.name} has columns {stored}, not the ones this migration "
                           "knows; its stored definition is left alone")
    create = str(CreateTable(table).compile(dialect=bind.dialect)).strip()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    op.execute("PRAGMA writable_schema = ON")
    bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' "
                         "AND name = :name"), {"sql": create, "name": table.name})
    op.execute(f"PRAGMA schema_version = {int(version) + 1}")
    op.execute("PRAGMA writable_schema = OFF")
    if upgrade:
        for index in table.indexes:
            if added in index.columns:
                index.create(bind)


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData(naming_convention=bot.db.models.NAMING_CONVENTION)
    sa.Table("organisations", metadata, sa.Column("id", sa.Integer(), primary_key=True))
    sa.Table("organisation_cycles", metadata, sa.Column("id", sa.Integer(), primary_key=True))
    return metadata


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("reassessment", sa.String(length=16), nullable=False),
        sa.Column("next_reassessment_at", UTC(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "organisation_admins",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("added_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"],
            name=op.f("fk_organisation_admins_organisation_id_organisations"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "user_id",
                                name=op.f("pk_organisation_admins")),
    )
    op.create_table(
        "organisation_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=32), nullable=False),
        sa.Column("scope_id", sa.String(length=16), nullable=False),
        sa.Column("opened_by", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", UTC(timezone=True), nullable=False),
        sa.Column("deadline", UTC(timezone=True), nullable=False),
        sa.Column("closed_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"],
            name=op.f("fk_organisation_cycles_organisation_id_organisations"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_cycles")),
    )
    op.create_index(op.f("ix_organisation_cycles_organisation_id"), "organisation_cycles",
                    ["organisation_id"])
    op.create_index("uq_organisation_cycles_one_open", "organisation_cycles",
                    ["organisation_id"], unique=True,
                    sqlite_where=sa.text("closed_at IS NULL"),
                    postgresql_where=sa.text("closed_at IS NULL"))

    # One organisation per team, with the team's id; its active managers are its admins.
    op.execute("INSERT INTO organisations (id, name, created_at, reassessment) "
               "SELECT id, name, created_at, 'off' FROM teams")
    op.execute("INSERT INTO organisation_admins (organisation_id, user_id, added_by, added_at) "
               "SELECT team_id, user_id, NULL, joined_at FROM memberships "
               "WHERE role = 'manager' AND active")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('organisations', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM organisations), 0) + 1, false)")
        op.add_column("teams", sa.Column("organisation_id", sa.Integer(), nullable=True))
        op.execute("UPDATE teams SET organisation_id = id")
        op.alter_column("teams", "organisation_id", existing_type=sa.Integer(), nullable=False)
        op.create_foreign_key(op.f("fk_teams_organisation_id_organisations"), "teams",
                              "organisations", ["organisation_id"], ["id"])
        op.create_index(op.f("ix_teams_organisation_id"), "teams", ["organisation_id"])
        op.add_column("cycles", sa.Column("organisation_cycle_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_cycles_organisation_cycle_id_organisation_cycles"),
                              "cycles", "organisation_cycles", ["organisation_cycle_id"], ["id"],
                              ondelete="SET NULL")
        op.create_index(op.f("ix_cycles_organisation_cycle_id"), "cycles",
                        ["organisation_cycle_id"])
        return
    op.execute("ALTER TABLE teams ADD COLUMN organisation_id INTEGER")
    op.execute("UPDATE teams SET organisation_id = id")
    op.execute("ALTER TABLE cycles ADD COLUMN organisation_cycle_id INTEGER")
    metadata = _metadata()
    _rewrite_sqlite(_teams(metadata, "full"), "organisation_id", upgrade=True)
    _rewrite_sqlite(_cycles(metadata, "full"), "organisation_cycle_id", upgrade=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(op.f("ix_cycles_organisation_cycle_id"), table_name="cycles")
        op.drop_constraint(op.f("fk_cycles_organisation_cycle_id_organisation_cycles"),
                           "cycles", type_="foreignkey")
        op.drop_column("cycles", "organisation_cycle_id")
        op.drop_index(op.f("ix_teams_organisation_id"), table_name="teams")
        op.drop_constraint(op.f("fk_teams_organisation_id_organisations"), "teams",
                           type_="foreignkey")
        op.drop_column("teams", "organisation_id")
    else:
        op.drop_index(op.f("ix_cycles_organisation_cycle_id"), table_name="cycles")
        op.drop_index(op.f("ix_teams_organisation_id"), table_name="teams")
        metadata = _metadata()
        _rewrite_sqlite(_teams(metadata, "bare"), "organisation_id", upgrade=False)
        _rewrite_sqlite(_cycles(metadata, "bare"), "organisation_cycle_id", upgrade=False)
        op.execute("ALTER TABLE cycles DROP COLUMN organisation_cycle_id")
        op.execute("ALTER TABLE teams DROP COLUMN organisation_id")
    op.drop_index("uq_organisation_cycles_one_open", table_name="organisation_cycles")
    op.drop_index(op.f("ix_organisation_cycles_organisation_id"),
                  table_name="organisation_cycles")
    op.drop_table("organisation_cycles")
    op.drop_table("organisation_admins")
    op.drop_table("organisations")
