"""meetings and meeting_votes; conversation positions per person and chat

Revision ID: meeting
Revises: grouplink (written on groups; rechained after merging grouplink)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "meeting"
down_revision: str | None = "grouplink"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.BigInteger(), nullable=True),
        sa.Column("started_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("paused_at", bot.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", bot.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"],
                                name=op.f("fk_meetings_cycle_id_cycles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index(op.f("ix_meetings_cycle_id"), "meetings", ["cycle_id"])
    op.create_index("uq_meetings_one_unfinished_per_chat", "meetings", ["chat_id"], unique=True,
                    sqlite_where=sa.text("finished_at IS NULL"),
                    postgresql_where=sa.text("finished_at IS NULL"))
    op.create_table(
        "meeting_votes",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_meeting_votes_meeting_id_meetings"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", "element_id", "user_id",
                                name=op.f("pk_meeting_votes")),
    )
    # A position per person *and chat*: the private chat's id is the person's id.
    with op.batch_alter_table("conversation_positions") as batch:
        batch.add_column(sa.Column("chat_id", sa.BigInteger(), autoincrement=False,
                                   nullable=True))
    op.execute("UPDATE conversation_positions SET chat_id = user_id")
    with op.batch_alter_table("conversation_positions") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
        batch.drop_constraint("pk_conversation_positions", type_="primary")
        batch.create_primary_key("pk_conversation_positions", ["user_id", "chat_id"])


def downgrade() -> None:
    op.execute("DELETE FROM conversation_positions WHERE chat_id <> user_id")
    with op.batch_alter_table("conversation_positions") as batch:
        batch.drop_constraint("pk_conversation_positions", type_="primary")
        batch.create_primary_key("pk_conversation_positions", ["user_id"])
        batch.drop_column("chat_id")
    op.drop_table("meeting_votes")
    op.drop_index("uq_meetings_one_unfinished_per_chat", table_name="meetings")
    op.drop_index(op.f("ix_meetings_cycle_id"), table_name="meetings")
    op.drop_table("meetings")
