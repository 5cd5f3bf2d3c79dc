"""job ads

A job ad read before the questionnaire (issue 20): its text is kept only in the draft it started (drafts.job_ad,
deleted with the draft and cleared when the result is made); the result keeps the quoted sentences only
(assessments.job_ad).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_ad', sa.Text(), nullable=True))
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_ad', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('job_ad')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_column('job_ad')
