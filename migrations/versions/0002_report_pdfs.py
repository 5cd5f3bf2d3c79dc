"""report pdfs

Rendered PDF reports, kept so that a second download renders nothing. Keyed by the result's token, the paper
size and the report templates' version; deleted with their result.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_pdfs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('page_size', sa.String(length=10), nullable=False),
    sa.Column('template_version', sa.String(length=40), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['token'], ['assessments.token'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token', 'page_size', 'template_version', name='uq_report_pdfs_key')
    )
    with op.batch_alter_table('report_pdfs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_pdfs_token'), ['token'], unique=False)


def downgrade():
    with op.batch_alter_table('report_pdfs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_pdfs_token'))

    op.drop_table('report_pdfs')
