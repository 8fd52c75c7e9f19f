"""actions: an action's status, proposed owner and history; a team's check-in rhythm

Revision ID: actions
Revises: family
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "actions"
down_revision: str | None = "family"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("improvement_actions") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), server_default="open",
                                   nullable=False))
        batch.add_column(sa.Column("proposed_owner_id", sa.BigInteger(), nullable=True))
    op.execute("UPDATE improvement_actions SET status = 'done' WHERE done_at IS NOT NULL")
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("checkins", sa.String(length=16),
                                   server_default="fortnightly", nullable=False))
    op.create_table(
        "action_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["improvement_actions.id"],
                                name=op.f("fk_action_events_action_id_improvement_actions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_events")),
    )
    op.create_index(op.f("ix_action_events_action_id"), "action_events", ["action_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_action_events_action_id"), table_name="action_events")
    op.drop_table("action_events")
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("checkins")
    with op.batch_alter_table("improvement_actions") as batch:
        batch.drop_column("proposed_owner_id")
        batch.drop_column("status")
