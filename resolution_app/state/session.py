"""Who is asking. Every portal state derives from this one and re-checks the session in each handler."""

import reflex as rx

from resolution_app.domain.errors import DomainError
from resolution_app.infra.settings import get_settings
from resolution_app.models import User
from resolution_app.services import accounts
from resolution_app.services.access import is_creator
from resolution_app.services.accounts import SESSION_COOKIE

DEMO_ACCOUNTS = [
    ("Buyer", "buyer@example.com"),
    ("Creator", "creator@example.com"),
    ("Reviewer", "reviewer@example.com"),
]


class SessionState(rx.State):
    token: str = rx.Cookie("", name=SESSION_COOKIE, same_site="strict", max_age=14 * 24 * 3600)
    user_name: str = ""
    signed_in: bool = False
    is_creator: bool = False
    auth_error: str = ""

    def _user(self) -> User | None:
        """The signed-in user, read afresh from the server-side session on every call."""
        user = accounts.user_for_token(self.token)
        self.signed_in = user is not None
        self.user_name = user.name if user else ""
        self.is_creator = bool(user and is_creator(user))
        return user

    def _login_redirect(self) -> rx.event.EventSpec:
        return rx.redirect(f"/login?next={self.router.url.path}")

    @rx.var
    def demo_accounts(self) -> list[list[str]]:
        return [list(account) for account in DEMO_ACCOUNTS] if get_settings().demo_data else []

    @rx.event
    def go_home(self):
        """`/`: each person's portal, or the login page."""
        if self._user() is None:
            return rx.redirect("/login")
        return rx.redirect(self._home())

    def _home(self) -> str:
        return "/creator/resolutions" if self.is_creator else "/purchases"  # the reviewer portal comes next

    def _start(self, signed: accounts.SignedIn):
        self.token = signed.token
        self.auth_error = ""
        self._user()
        target = self.router.url.query_parameters.get("next", "")
        if not target.startswith("/") or target.startswith("//"):
            target = self._home()
        return rx.redirect(target)

    @rx.event
    def log_in(self, form: dict):
        try:
            signed = accounts.log_in(str(form.get("email", "")), str(form.get("password", "")))
        except DomainError as error:
            self.auth_error = error.message
            return None
        return self._start(signed)

    @rx.event
    def sign_up(self, form: dict):
        try:
            signed = accounts.sign_up(
                str(form.get("name", "")), str(form.get("email", "")), str(form.get("password", ""))
            )
        except DomainError as error:
            self.auth_error = error.message
            return None
        return self._start(signed)

    @rx.event
    def log_out(self):
        if self.token:
            accounts.log_out(self.token)
        self.token = ""
        self.signed_in = False
        self.user_name = ""
        return rx.redirect("/login")
