"""examples: a participant's one-line reason behind the level of one element

Revision ID: participant
Revises: perms
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "participant"
down_revision: str | None = "perms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "examples",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"],
                                name=op.f("fk_examples_response_id_responses"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id", "element_id", name=op.f("pk_examples")),
    )


def downgrade() -> None:
    op.drop_table("examples")
