"""group_link_tokens: the startgroup deep link from /settings that links the team's group

Revision ID: grouplink
Revises: groups
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "grouplink"
down_revision: str | None = "groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_link_tokens",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", bot.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"],
                                name=op.f("fk_group_link_tokens_team_id_teams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_group_link_tokens")),
    )
    op.create_index(op.f("ix_group_link_tokens_team_id"), "group_link_tokens", ["team_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_group_link_tokens_team_id"), table_name="group_link_tokens")
    op.drop_table("group_link_tokens")
