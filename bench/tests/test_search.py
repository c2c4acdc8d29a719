import pytest
from django.db import connection

from bench.search import compare


@pytest.mark.django_db(transaction=True)
def test_it_compares_the_index_with_a_scan_and_leaves_nothing_behind():
    result = compare(n_paragraphs=1_000, repeat=1)
    if connection.vendor != "postgresql":
        assert "skipped" in result
        return
    assert result["gin_hits"] == result["icontains_hits"] == 2
    assert result["index_used"] is True
    assert result["ratio"] > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('search_bench_paragraph')")
        assert cursor.fetchone()[0] is None
