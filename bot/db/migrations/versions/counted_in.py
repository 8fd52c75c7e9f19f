"""counted_in: where each response of an organisation cycle counts, frozen at the close

Revision ID: counted
Revises: organisation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "counted"
down_revision: str | None = "organisation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "counted_in",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("is_manager", sa.Boolean(), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"],
                                name=op.f("fk_counted_in_response_id_responses"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"],
                                name=op.f("fk_counted_in_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id", "team_id", name=op.f("pk_counted_in")),
    )


def downgrade() -> None:
    op.drop_table("counted_in")
