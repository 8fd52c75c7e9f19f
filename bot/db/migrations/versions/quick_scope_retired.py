"""quickscope: cycles of the old quick scan keep their questions under the retired scope id

The quick scans were changed to ask only what everyone can judge (issue #27), and the catalog keeps
the old element list as the retired scope "quick-2025". A cycle stores its scope id, not its element
list, so without this step every existing quick-scan cycle (open or closed) would suddenly show
other questions than its participants answered, and reports would mix two instruments.

Revision ID: quickscope
Revises: orgsetup
"""

from collections.abc import Sequence

from alembic import op

revision: str = "quickscope"
down_revision: str | None = "orgsetup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("cycles", "organisation_cycles")


def upgrade() -> None:
    for table in TABLES:
        op.execute(f"UPDATE {table} SET scope_id = 'quick-2025' WHERE scope_id = 'quick'")


def downgrade() -> None:
    # The older code knows only "quick", whose elements were the retired list.
    for table in TABLES:
        op.execute(f"UPDATE {table} SET scope_id = 'quick' WHERE scope_id = 'quick-2025'")
