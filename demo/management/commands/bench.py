import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from demo import bench

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minutebook_bench"


class Command(BaseCommand):
    help = (
        "Benchmark the pages at a small and a large generated record and under load; "
        "prints one JSON object. BENCH_SCALE sets the large record's scale (default 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--part", help=argparse_hidden())
        parser.add_argument("key", nargs="?", help=argparse_hidden())
        parser.add_argument("--scale", type=float)
        parser.add_argument("--small-scale", type=float, default=bench.SMALL_SCALE)
        parser.add_argument(
            "--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 120))
        )
        parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 6)))
        parser.add_argument("--people", type=int, default=bench.REMINDER_PEOPLE)
        parser.add_argument(
            "--load-seconds", type=int, default=int(os.environ.get("BENCH_LOAD_SECONDS", 30))
        )
        parser.add_argument(
            "--quick", action="store_true", help="Few PDF renders, small search corpus (tests)."
        )
        parser.add_argument("--database-url", default=None, help="Base URL; default DATABASE_URL.")

    def handle(self, *args, part, **options):
        if part:
            self.stdout.write(json.dumps(self.child(part, **options), default=str))
            return
        base = options["database_url"] or os.environ.get("DATABASE_URL") or DEFAULT_URL
        scale = options["scale"] or float(os.environ.get("BENCH_SCALE", 1))
        if scale <= 0 or options["requests"] < 1 or options["rounds"] < 1:
            raise CommandError("The scale, the request count and the rounds must be positive.")
        result = bench.run(
            base_url=base,
            large_scale=scale,
            small_scale=options["small_scale"],
            requests=options["requests"],
            rounds=options["rounds"],
            reminder_people=options["people"],
            load_seconds=options["load_seconds"],
            quick=options["quick"],
            log=lambda line: print(line, file=sys.stderr, flush=True),
        )
        self.stdout.write(json.dumps(result, indent=2, default=str))

    def child(self, part, *, scale, requests, people, **options):
        """One measurement inside the database named by this process's DATABASE_URL."""
        if part == "status":
            return bench.status(scale)
        if part == "pages":
            return bench.measure_pages(requests)
        if part == "extra":
            return bench.extra(options["key"], quick=options["quick"])
        if part == "reminders":
            return bench.reminder_pass(people)
        if part == "session":
            return bench.session_cookie()
        raise CommandError(f"Unknown part {part!r}.")


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
