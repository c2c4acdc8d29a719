"""`python -m bench`: the whole run (one JSON object on stdout), or one `--part` of it
inside the database named by DATABASE_URL (what the run starts as its children)."""

import argparse
import json
import os
import sys

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minutebook_bench"


def parser() -> argparse.ArgumentParser:
    env = os.environ.get
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Benchmark the pages at a small and a large generated record and under load; "
            "prints one JSON object. BENCH_SCALE sets the large record's scale (default 1)."
        ),
    )
    p.add_argument("--part", help=argparse.SUPPRESS)
    p.add_argument("key", nargs="?", help=argparse.SUPPRESS)
    p.add_argument("--scale", type=float)
    p.add_argument("--small-scale", type=float, default=None)
    p.add_argument("--requests", type=int, default=int(env("BENCH_REQUESTS", 120)))
    p.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", 6)))
    p.add_argument("--people", type=int, default=None)
    p.add_argument("--load-seconds", type=int, default=int(env("BENCH_LOAD_SECONDS", 30)))
    p.add_argument(
        "--quick", action="store_true", help="Few PDF renders, small search corpus (tests)."
    )
    p.add_argument("--database-url", default=None, help="Base URL; default DATABASE_URL.")
    return p


def main(argv=None, stdout=None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench import runner

    stdout = stdout or sys.stdout
    options = parser().parse_args(argv)
    if options.part:
        # A measuring process is a serving process, started as config.wsgi starts one.
        from config.startup import freeze_loaded_heap

        freeze_loaded_heap()
        stdout.write(json.dumps(child(options), default=str) + "\n")
        return
    base = options.database_url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    scale = options.scale or float(os.environ.get("BENCH_SCALE", 1))
    if scale <= 0 or options.requests < 1 or options.rounds < 1:
        sys.exit("The scale, the request count and the rounds must be positive.")
    result = runner.run(
        base_url=base,
        large_scale=scale,
        small_scale=options.small_scale or runner.SMALL_SCALE,
        requests=options.requests,
        rounds=options.rounds,
        reminder_people=options.people or runner.REMINDER_PEOPLE,
        load_seconds=options.load_seconds,
        quick=options.quick,
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )
    stdout.write(json.dumps(result, indent=2, default=str) + "\n")


def child(options) -> dict:
    """One measurement inside the database named by this process's DATABASE_URL."""
    from bench import runner

    part = options.part
    if part == "status":
        return runner.status(options.scale)
    if part == "pages":
        return runner.measure_pages(options.requests)
    if part == "extra":
        return runner.extra(options.key, quick=options.quick)
    if part == "reminders":
        return runner.reminder_pass(options.people or runner.REMINDER_PEOPLE)
    if part == "heavy":
        from bench import heavy

        return heavy.measure(options.requests, runner.HEAVY_BUDGET_S)
    if part == "exports":
        from bench import heavy

        return heavy.exports()
    if part == "session":
        return runner.session_cookie()
    sys.exit(f"Unknown part {part!r}.")


if __name__ == "__main__":
    main()
