"""What a new password ends: the person's API tokens, and any lock-out of their name."""

from axes.utils import reset as reset_lockouts

from .tokens import revoke_all_tokens


class EndTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its ``password_changed`` hook, which Django calls
    on every saved password change (reset, change page, admin, ``changepassword``), so no
    route can leave an old token working. It validates nothing itself."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        revoke_all_tokens(user=user)
        # Whoever set a new password (by the e-mailed link, or signed in) is the owner:
        # earlier wrong guesses at the old one no longer stand between them and signing in.
        reset_lockouts(username=user.get_username())

    def get_help_text(self):
        # Django lists every validator's help under the password box: an empty one would
        # be an empty bullet, so this one says what a new password does.
        return "A new password ends any API tokens you have."
