"""Two-factor sign-in with TOTP (django-otp): who must use it, their device, its QR code."""

import base64
from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from boards.models import Membership

# Roles that change the record (minutes, actions, allocations) must prove a second factor
# when MINUTEBOOK_REQUIRE_2FA is on.
ROLES_NEEDING_2FA = (Membership.Role.SECRETARY, Membership.Role.CHAIR)


def must_use_two_factor(user) -> bool:
    """True when the site requires 2FA and this user edits a board's record or is staff."""
    if not settings.MINUTEBOOK_REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return (
        Membership.objects.current()
        .filter(person__user_id=user.pk, role__in=ROLES_NEEDING_2FA)
        .exists()
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up; created on first visit, kept until confirmed."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_device(*, device: TOTPDevice, code: str) -> bool:
    """A device counts only once the person has typed a code it produced."""
    if not device.verify_token(code.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    return True


@transaction.atomic
def remove_devices(*, user) -> None:
    """Turning two-factor off removes every device, so an old phone stops working."""
    TOTPDevice.objects.filter(user_id=user.pk).delete()


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps that cannot scan a QR code."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data: images)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
