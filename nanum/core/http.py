"""Request types for the interface layer.

Views behind ``login_required`` and API handlers behind the API's authentication
receive a request whose user is a real ``User``. Annotate them with these types so
that services, which take ``actor: User``, type-check without casts:

    @login_required
    def my_view(request: AuthedHttpRequest) -> HttpResponse: ...

    @router.get("/things")
    def things(request: ApiRequest) -> list[Thing]: ...
"""

from __future__ import annotations

from django.http import HttpRequest

from nanum.core.models import User


class AuthedHttpRequest(HttpRequest):
    """A request from a signed-in user (a view behind ``login_required``)."""

    user: User


class ApiRequest(HttpRequest):
    """A request that passed the API's authentication (token or session).

    django-ninja sets ``request.auth`` to what the authenticator returned: our
    authenticators return the ``User`` and also set ``request.user``.
    """

    user: User
    auth: User
