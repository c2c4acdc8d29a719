"""The bench itself, at a tiny scale and with short bounds: it must finish and report."""

import json
import shutil

from bench import runner as bench
from bench.__main__ import main


def test_it_names_one_database_per_record():
    urls = bench.database_urls("postgres://postgres@127.0.0.1:5432/minutebook_bench")
    assert urls["small"].endswith("/minutebook_bench_small")
    assert urls["large"].endswith("/minutebook_bench_large")
    sqlite = bench.database_urls("sqlite:////tmp/x/b.sqlite3")
    assert sqlite["small"] == "sqlite:////tmp/x/b_small.sqlite3"


def test_it_flags_a_page_that_grew_or_is_missing():
    small = {"mine": {"median_ms": 10, "p95_ms": 12, "queries": 9}, "fund": {"missing": True}}
    large = {"mine": {"median_ms": 14, "p95_ms": 24, "queries": 11}, "fund": {"missing": True}}
    pages = bench._compare(small, large)
    assert pages["mine"]["p95_ratio"] == 2.0
    assert pages["mine"]["queries_equal"] is False
    assert pages["mine"]["p95_within_1_5x"] is False
    assert pages["fund"] == {"missing": True}


def test_it_prints_one_json_object_with_every_figure(tmp_path, capsys):
    # One migration, copied to the three records: the bench only checks they are current.
    base = tmp_path / "bench.sqlite3"
    bench._manage(f"sqlite:///{base}", "migrate", "--no-input", "-v0")
    for url in bench.database_urls(f"sqlite:///{base}").values():
        shutil.copy(base, url.removeprefix("sqlite:///"))

    main(
        [
            f"--database-url=sqlite:///{base}",
            "--scale=0.002",
            "--small-scale=0.001",
            "--requests=2",
            "--rounds=1",  # the pages timed once: the test checks the report, not the speed
            "--people=20",
            "--load-seconds=1",
            "--quick",
        ]
    )

    result = json.loads(capsys.readouterr().out)
    assert set(result["pages"]) == {"my_actions", "action_log", "meeting_screen", "fund", "search"}
    mine = result["pages"]["my_actions"]
    assert mine.get("missing") or mine["small"]["status"] == 200
    assert result["reminder_pass"].get("missing") or result["reminder_pass"]["people"] == 20
    assert {"queries_equal", "p95_ratio_le_1_5", "load_ratio_ge_0_5"} <= set(result["targets"])
    assert "requests_per_second" in result["load"]["trivial"]
    # The heavy users: every case with its five figures (or the error that stopped it).
    from bench import heavy

    assert set(result["heavy"]) == set(heavy.CASES)
    for key, case in result["heavy"].items():
        figures = {"p95_small_ms", "p95_large_ms", "p95_ratio", "queries_small", "queries_large"}
        assert figures <= set(case), (key, case)
    for fmt in ("csv", "xlsx"):
        assert {"rows_per_second", "peak_memory_mb"} <= set(result["exports"]["large"][fmt])
    assert {"heavy_p95_ratio_le_1_5", "heavy_queries_equal", "pdf_rss_growth_le_15_mb"} <= set(
        result["targets"]
    )
    assert result["load"]["queries"]["trivial"]["status"] == 200
    # The records are kept: the next run reuses them instead of generating again.
    large = bench.database_urls(f"sqlite:///{base}")["large"]
    assert bench.prepare(large, 0.002, log=lambda line: None)["generated"] is False


def test_it_pools_the_rounds_before_taking_median_and_p95():
    rounds = [
        {"mine": {"status": 200, "queries": 9, "times_ms": [10.0, 30.0]}},
        {"mine": {"status": 200, "queries": 9, "times_ms": [20.0, 40.0, 50.0]}},
    ]
    mine = bench.summarise(rounds)["mine"]
    assert (mine["requests"], mine["median_ms"], mine["p95_ms"]) == (5, 30.0, 50.0)
    assert mine["queries"] == 9 and "times_ms" not in mine
