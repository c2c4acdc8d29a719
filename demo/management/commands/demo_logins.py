from django.core.management.base import BaseCommand

from demo import data
from demo.seed import ADMIN_USERNAME


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def handle(self, *args, **options):
        self.stdout.write("\nMinutebook is starting on http://127.0.0.1:8000/")
        self.stdout.write(f"Demo sign-ins (password for all: {data.DEMO_PASSWORD}):")
        for username, name in data.LOGINS.items():
            self.stdout.write(f"  {username:<10} {name}")
        self.stdout.write("Installation admin (starts partnerships; /admin/), same password:")
        self.stdout.write(f"  {ADMIN_USERNAME:<10} staff, on no board")
        self.stdout.write("")
