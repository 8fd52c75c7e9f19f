"""group_links and agreed_levels: the team's Telegram group and the meeting's agreed profile

Revision ID: groups
Revises: participant
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "groups"
down_revision: str | None = "participant"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_links",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("bot_is_admin", sa.Boolean(), nullable=False),
        sa.Column("linked_by", sa.BigInteger(), nullable=True),
        sa.Column("linked_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("left_at", bot.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"],
                                name=op.f("fk_group_links_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_group_links")),
        sa.UniqueConstraint("team_id", name=op.f("uq_group_links_team_id")),
    )
    op.create_table(
        "agreed_levels",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.String(length=16), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("agreed_by", sa.BigInteger(), nullable=True),
        sa.Column("agreed_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"],
                                name=op.f("fk_agreed_levels_cycle_id_cycles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cycle_id", "element_id", name=op.f("pk_agreed_levels")),
    )


def downgrade() -> None:
    op.drop_table("agreed_levels")
    op.drop_table("group_links")
