"""GIN indexes for full-text search, on PostgreSQL only (SQLite searches by scanning).

Each expression is exactly what search.fulltext.document() compiles to, so the planner
matches the query's to_tsvector(...) @@ websearch_to_tsquery(...) to the index.
"""

from django.db import migrations

INDEXES = {
    "search_agendaitem_fts": ("meetings_agendaitem", ("title", "minutes")),
    "search_decision_fts": ("meetings_decision", ("text",)),
    "search_action_fts": ("actions_action", ("text",)),
    "search_paper_fts": ("meetings_paper", ("title",)),
}


def _document(columns):
    joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"to_tsvector('english'::regconfig, {joined})"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING GIN ({_document(columns)})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("actions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
