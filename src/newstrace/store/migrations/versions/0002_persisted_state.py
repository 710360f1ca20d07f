"""Revision 2: what makes opening cheap and ingest incremental.

- ``features``: each document's story features (and the blocking keys it
  joined with), so a new process rebuilds the story index without re-running
  the NLP over the corpus;
- ``checkpoints``: the index's document frequencies at some document ``seq``;
- ``stories.revision``: bumped whenever an article joins the story;
- ``story_results``: reuse links and facts of a story, as of a revision.
  Stories of a revision-1 store have none yet: they are computed on first use.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("revision", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "features",
        sa.Column("seq", sa.Integer, sa.ForeignKey("documents.seq"), primary_key=True),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("keys", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "checkpoints",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("version", sa.String(16), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "story_results",
        sa.Column("story", sa.String(32), sa.ForeignKey("stories.id"), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reuse", sa.Text, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
    )
    op.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.drop_table("story_results")
    op.drop_table("checkpoints")
    op.drop_table("features")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("revision")
    op.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
