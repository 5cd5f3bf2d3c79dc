"""report pdf size

The kept PDFs are evicted by age and by total size (issue 8: one cache shared by every app server, bounded):
each row now records its size, so the total is a cheap sum instead of a scan of every PDF's bytes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_pdfs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('size', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_report_pdfs_created_at'), ['created_at'], unique=False)
    # length() counts a BLOB's bytes on SQLite and a bytea's on PostgreSQL.
    op.execute('UPDATE report_pdfs SET size = length(pdf)')


def downgrade():
    with op.batch_alter_table('report_pdfs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_pdfs_created_at'))
        batch_op.drop_column('size')
