"""The installation's admin: the one account made at the command line. Everything after
it (partnerships, their secretaries, people) is done in Minutebook's own pages."""

import getpass
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse


class Command(BaseCommand):
    help = (
        "Create the installation's admin (staff): they start each partnership and invite "
        "its secretary. The password is asked for, or read from the variable named by "
        "--password-from (for scripts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from",
            metavar="VARIABLE",
            help="Read the password from this environment variable instead of asking.",
        )

    def handle(self, *args, username, email, password_from, **options):
        User = get_user_model()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"There is already a user called {username}.")
        user = User(username=username, email=email, is_staff=True, is_superuser=True)
        if password_from:
            password = os.environ.get(password_from, "")
            if not password:
                raise CommandError(f"The variable {password_from} is empty or not set.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"{username} can sign in at {settings.SITE_URL}{reverse('login')} and choose "
            "“New partnership” to create a board and invite its secretary."
        )
