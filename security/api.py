"""POST /api/token/: an API token for a username, password and, where needed, a 2FA code."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import tokens


class TokenRequestSerializer(AuthTokenSerializer):
    """The password step (django-axes counts its failures like the sign-in form's)."""

    code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The 6-digit code from the authenticator app, when the account has one.",
    )


class ObtainTokenView(APIView):
    """A token only for someone who passes every step the sign-in page asks for."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "IssuedToken",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            )
        },
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        user = form.validated_data["user"]
        try:
            tokens.check_second_factor(user=user, code=form.validated_data.get("code", ""))
        except tokens.TokenRefused as refusal:
            return Response({"code": [refusal.message]}, status=status.HTTP_400_BAD_REQUEST)
        instance, key = tokens.issue_token(user=user)
        return Response({"token": key, "expiry": timezone.localtime(instance.expiry).isoformat()})
