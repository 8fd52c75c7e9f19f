"""orgsetup: the organisation as a quality manager runs it

Revision ID: orgsetup
Revises: counted

- `organisations.solo`: the organisation `/newteam` made for its one team. Only such an
  organisation is removed when its team moves out; one an admin created stays, with its admins,
  even when it has no team left. Existing organisations whose rhythm is "off" are the ones made
  by `/newteam` or by the `organisation` migration (an admin's organisation had no way to turn
  its rhythm off), so they are marked solo.
- `organisation_targets`: target levels per chapter of an organisation, for its report.
- `organisation_tokens`: one-time links, "become admin of …" and "become the manager of …".
  They carry no creator: a link is the organisation's, and /deleteme has nothing to unlink.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "orgsetup"
down_revision: str | None = "counted"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.db.models.UTCDateTime


def upgrade() -> None:
    op.add_column("organisations", sa.Column("solo", sa.Boolean(), nullable=False,
                                             server_default=sa.false()))
    op.execute("UPDATE organisations SET solo = true WHERE reassessment = 'off'")
    op.create_table(
        "organisation_targets",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("chapter_id", sa.String(length=16), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_organisation_targets_organisation_id_organisations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "chapter_id",
                                name=op.f("pk_organisation_targets")),
    )
    op.create_table(
        "organisation_tokens",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("expires_at", UTC(timezone=True), nullable=False),
        sa.Column("used_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_organisation_tokens_organisation_id_organisations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"],
                                name=op.f("fk_organisation_tokens_team_id_teams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_organisation_tokens")),
    )


def downgrade() -> None:
    op.drop_table("organisation_tokens")
    op.drop_table("organisation_targets")
    op.drop_column("organisations", "solo")  # ALTER TABLE in place (a rebuild would cascade)
