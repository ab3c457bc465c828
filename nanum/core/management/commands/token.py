from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nanum.core import selectors, services
from nanum.core.errors import NotFound


class Command(BaseCommand):
    help = "Create or list personal access tokens for the API (nanum token create ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("--user", required=True, help="username")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--days", type=int, default=365, help="validity in days")
        lst = sub.add_parser("list", help="list a user's active tokens")
        lst.add_argument("--user", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            user = selectors.user_get(username=opts["user"])
        except NotFound:
            raise CommandError(f"No user called {opts['user']!r}.") from None
        if opts["action"] == "create":
            if not 1 <= opts["days"] <= 730:
                raise CommandError("--days must be between 1 and 730.")
            token, raw = services.token_create(
                actor=None, user=user, name=opts["name"], days=opts["days"]
            )
            self.stdout.write(raw)
            self.stderr.write(
                f"Token {token.prefix}… for {user.username}, expires {token.expires_at:%Y-%m-%d}."
                " It is shown only now."
            )
        else:
            for token in selectors.token_list(actor=user):
                self.stdout.write(
                    f"{token.pk}\t{token.prefix}…\t{token.name}\t{token.expires_at}"
                )
