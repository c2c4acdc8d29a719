"""Sign-in with an optional second step, two-factor set-up, and the lock-out page."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from . import tokens, twofactor
from .forms import CodeForm

# Password checked, code still to come: who, with which backend, until when, and where next.
PENDING_KEY = "security_pending_sign_in"
PENDING_SECONDS = 5 * 60


class SignInView(LoginView):
    """Django's sign-in; a person with a confirmed authenticator is asked for a code next."""

    def form_valid(self, form):
        user = form.get_user()
        device = twofactor.confirmed_device(user)
        if device is None:
            return super().form_valid(form)
        # Not signed in yet: the session only remembers who passed the password step.
        self.request.session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "until": (timezone.now() + dt.timedelta(seconds=PENDING_SECONDS)).timestamp(),
            "next": self.get_success_url(),
        }
        return redirect("security:verify")


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["until"] < timezone.now().timestamp():
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    return user, pending


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """Second sign-in step: a code from the person's authenticator app."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, "Please sign in again.")
        return redirect("login")
    device = twofactor.confirmed_device(user)
    if device is None:  # removed meanwhile: the password step was enough
        request.session.pop(PENDING_KEY)
        user.backend = pending["backend"]
        auth_login(request, user, backend=pending["backend"])
        return redirect(pending["next"])
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        form.add_error(
            "code",
            "That code is not right, or was already used. Codes change every 30 seconds."
            if allowed
            else "Too many wrong codes: wait a minute, then try the newest code.",
        )
    return render(request, "security/verify.html", {"form": form})


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else reverse("home")


@never_cache
@login_required
@sensitive_post_parameters("code")
def two_factor(request):
    """Set up, prove or turn off two-factor sign-in for the signed-in person."""
    user = request.user
    device = twofactor.confirmed_device(user)
    required = twofactor.must_use_two_factor(user)
    form = CodeForm(request.POST or None)
    if device is None:
        pending = twofactor.pending_device(user)
        if request.method == "POST" and form.is_valid():
            if twofactor.confirm_device(device=pending, code=form.cleaned_data["code"]):
                otp_login(request, pending)
                messages.success(request, "Two-factor sign-in is on.")
                return redirect(_safe_next(request))
            form.add_error("code", "That code is not right. Check the time on your phone.")
        context = {
            "state": "setup",
            "qr_code": twofactor.qr_code_data_uri(pending),
            "secret": twofactor.secret_for_typing(pending),
        }
    elif not user.is_verified():
        # Signed in before the device existed (or by another route): prove it now.
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
            form.add_error("code", "That code is not right, or was already used.")
        context = {"state": "prove"}
    else:
        if request.method == "POST" and request.POST.get("turn_off") and not required:
            if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
                twofactor.remove_devices(user=user)
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("security:two_factor")
            form.add_error("code", "Enter a current code to turn two-factor sign-in off.")
        elif request.method == "POST":
            form = CodeForm()
        context = {"state": "on"}
    context.update(
        form=form, required=required, next=request.GET.get("next") or request.POST.get("next")
    )
    return render(request, "security/two_factor.html", context)


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this after too many wrong passwords for one name from one address."""
    cool_off = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {
            "try_again_at": timezone.localtime() + cool_off,
            "minutes": int(cool_off.total_seconds() // 60),
        },
        status=429,
    )


def admin_login(request):
    """The admin's own password-only form is replaced by the two-step sign-in."""
    target = reverse("login")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target)


@never_cache
@login_required
def api_tokens(request):
    """The signed-in person's API tokens: issue one (shown once), or revoke any of them."""
    user = request.user
    issued = None
    if request.method == "POST" and request.POST.get("revoke"):
        if tokens.revoke_token(user=user, digest=request.POST["revoke"]):
            messages.success(request, "The token is revoked: it no longer works.")
        return redirect("security:api_tokens")
    needs_code = twofactor.confirmed_device(user) is not None and not user.is_verified()
    if request.method == "POST" and request.POST.get("issue"):
        if needs_code:
            # Signed in before the device existed: prove the second factor first.
            return redirect(f"{reverse('security:two_factor')}?next={request.path}")
        _, issued = tokens.issue_token(user=user)
    return render(
        request,
        "security/api_tokens.html",
        {
            "tokens": list(tokens.tokens_of(user)),
            "issued": issued,
            "days": settings.API_TOKEN_DAYS,
            "needs_code": needs_code,
        },
    )
