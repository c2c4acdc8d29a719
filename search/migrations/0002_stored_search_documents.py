"""Stored search documents, on PostgreSQL only (SQLite searches by scanning).

Each searched table gets a generated column `search_document` holding the row's tsvector
(for items: title weight A, minutes weight B) and a GIN index on it, in place of 0001's
expression indexes. Matching and ranking then read the stored vector: with an expression
index, ranking ran to_tsvector again on every matching row, and the planner, which cannot
cost that function, sometimes chose to run it on the whole table.

The column is outside the Django models (state is unchanged, so makemigrations stays
clean); writes leave it out and PostgreSQL fills it. A later migration that changes the
type of a column it is built from must drop the column first (PostgreSQL refuses to alter
it) and recreate it after.
"""

from django.db import migrations

COLUMN = "search_document"
EN = "'english'::regconfig"

# index name: (table, the stored vector's expression)
DOCUMENTS = {
    "search_agendaitem_fts": (
        "meetings_agendaitem",
        f"setweight(to_tsvector({EN}, COALESCE(title, '')), 'A')"
        f" || setweight(to_tsvector({EN}, COALESCE(minutes, '')), 'B')",
    ),
    "search_decision_fts": ("meetings_decision", f"to_tsvector({EN}, COALESCE(text, ''))"),
    "search_action_fts": ("actions_action", f"to_tsvector({EN}, COALESCE(text, ''))"),
    "search_paper_fts": ("meetings_paper", f"to_tsvector({EN}, COALESCE(title, ''))"),
}

# What 0001 made, for going back.
EXPRESSION_INDEXES = {
    "search_agendaitem_fts": ("meetings_agendaitem", ("title", "minutes")),
    "search_decision_fts": ("meetings_decision", ("text",)),
    "search_action_fts": ("actions_action", ("text",)),
    "search_paper_fts": ("meetings_paper", ("title",)),
}


def add_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, (table, expression) in DOCUMENTS.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector"
            f" GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING GIN ({COLUMN})"
        )
        # The new column has no statistics until autovacuum gets round to it.
        schema_editor.execute(f"ANALYZE {table}")


def drop_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, (table, columns) in EXPRESSION_INDEXES.items():
        # Dropping the column drops its index too.
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}")
        joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table}"
            f" USING GIN (to_tsvector({EN}, {joined}))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_fulltext_indexes"),
        # The searched columns as they now are: see the note above on changing them.
        ("meetings", "0001_initial"),
        ("actions", "0002_action_whole_board_index"),
    ]

    operations = [migrations.RunPython(add_documents, drop_documents)]
