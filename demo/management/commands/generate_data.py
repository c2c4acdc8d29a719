import time

from django.core.management.base import BaseCommand, CommandError

from demo.generate import generate, plan_for


class Command(BaseCommand):
    help = (
        "Add a large generated record (bulk inserts): at --scale 1, 40 boards, 600 people, "
        "8,000 meetings, 100,000 agenda items, 200,000 actions, 400,000 updates, 50 funds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 is council scale.")
        parser.add_argument("--seed", type=int, default=2014)

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be a positive number, e.g. 1 or 0.01.")
        plan = plan_for(scale)
        self.stdout.write(f"Generating at scale {scale:g}: {plan}")
        started = time.perf_counter()
        written = generate(scale=scale, seed=seed, out=self.stdout.write)
        elapsed = time.perf_counter() - started
        rows = sum(written.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{rows:,} rows in {elapsed:.1f}s ({rows / max(elapsed, 1e-6):,.0f} rows/s). "
                "Sign in as bench / minutebook-bench."
            )
        )
