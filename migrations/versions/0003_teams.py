"""teams

Several raters for one organisation: teams with an admin and a respondent token, their anonymous responses,
and drafts that answer for a team.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 09:20:01.979062

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admin_token', sa.String(length=64), nullable=False),
    sa.Column('respondent_token', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_admin_token'), ['admin_token'], unique=True)
        batch_op.create_index(batch_op.f('ix_teams_respondent_token'), ['respondent_token'], unique=True)

    op.create_table('team_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('team_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_responses_team_id'), ['team_id'], unique=False)

    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('department', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_drafts_team_id'), ['team_id'], unique=False)
        batch_op.create_foreign_key('fk_drafts_team_id_teams', 'teams', ['team_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_drafts_team_id_teams', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_drafts_team_id'))
        batch_op.drop_column('department')
        batch_op.drop_column('team_id')

    with op.batch_alter_table('team_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_responses_team_id'))
    op.drop_table('team_responses')

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_respondent_token'))
        batch_op.drop_index(batch_op.f('ix_teams_admin_token'))
    op.drop_table('teams')
