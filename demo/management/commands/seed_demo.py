from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the demo boards, meetings, actions and fund from the sample minutes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            dest="production_ok",
            help="Run even with DEBUG off (it resets the demo logins' passwords).",
        )

    def handle(self, *args, **options):
        # The demo resets the `secretary` login to a published password: not on a live site.
        if not settings.DEBUG and not options["production_ok"]:
            raise CommandError(
                "seed_demo resets the demo logins (the 'secretary' among them) to the "
                "published demo password, and DEBUG is off, so this looks like a live site. "
                "Nothing was changed. Run with DEBUG=true, or add "
                "--i-know-this-is-production if you really mean it."
            )
        counts = seed_demo()
        summary = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
