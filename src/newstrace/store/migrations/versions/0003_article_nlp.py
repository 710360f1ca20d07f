"""Revision 3: each article's NLP for reuse and facts, computed once.

- ``reuse_views``: sentence spans and sentence embeddings (embedding every
  sentence is most of the cost of tracing reuse);
- ``parses``: the spaCy parse that facts are read from (spaCy's ``DocBin``).

With them stored, an article joining a stored story costs its own NLP only:
the story's older members are not parsed and embedded again. ``version``
names the models a row came from; rows of another version are recomputed on use.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reuse_views",
        sa.Column("seq", sa.Integer, sa.ForeignKey("documents.seq"), primary_key=True),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("spans", sa.LargeBinary, nullable=False),
        sa.Column("embeddings", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "parses",
        sa.Column("seq", sa.Integer, sa.ForeignKey("documents.seq"), primary_key=True),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.drop_table("parses")
    op.drop_table("reuse_views")
    op.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
