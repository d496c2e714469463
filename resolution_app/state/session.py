"""Who is asking. Every portal state derives from this one and re-checks the session in each handler.

Handlers that reach the database, storage or password hashing are `async` and run that work in a thread
(`asyncio.to_thread`): on Reflex's event loop it would stall every browser on the worker.
"""

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import reflex as rx

from resolution_app.domain.errors import DomainError
from resolution_app.infra.passwords import HASHING
from resolution_app.infra.settings import get_settings
from resolution_app.models import User
from resolution_app.services import accounts
from resolution_app.services.accounts import SESSION_COOKIE
from resolution_app.services.notifications import inbox

T = TypeVar("T")
DEMO_ACCOUNTS = [
    ("Buyer", "buyer@example.com"),
    ("Creator", "creator@example.com"),
    ("Reviewer", "reviewer@example.com"),
]


async def hashing(use_case: Callable[..., T], *args: object) -> T:
    """`use_case(*args)`, one that hashes a password, on the hashing threads (infra/passwords.HASHING)."""
    return await asyncio.get_running_loop().run_in_executor(HASHING, partial(use_case, *args))


def own_path(target: str) -> str | None:
    """`next=` only ever leads within the app: a path of ours, never another site (`//host`, `/\\host`, `x:`)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target or ":" in target.split("?")[0]:
        return None
    return target if all(32 < ord(char) < 127 for char in target) else None


class SessionState(rx.State):
    token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        same_site="strict",
        max_age=get_settings().session_absolute_hours * 3600,  # no longer than the session itself can live
        secure=get_settings().public_api_url.startswith("https://"),  # never sent in clear where the site is https
    )
    user_name: str = ""
    signed_in: bool = False
    is_creator: bool = False
    is_reviewer: bool = False
    auth_error: str = ""
    just_opened_case: int = 0  # the case the claim form just opened: its page then says what happens next
    unread_notifications: int = 0  # the bell's count
    _tab_known: bool = False  # this state saw the tab connect (state/forgotten_tabs.py)

    async def _user(self) -> User | None:
        """The signed-in user, read afresh from the server-side session on every call."""
        return self._take_viewer(await asyncio.to_thread(accounts.viewer_for_token, self.token))

    async def _as_user(self, use_case: Callable[..., T], *args: object) -> tuple[User | None, T | None]:
        """The signed-in user and what `use_case(user, *args)` returns, in one trip to a thread (page loads)."""
        viewer, result = await asyncio.to_thread(accounts.as_signed_in, self.token, use_case, *args)
        return self._take_viewer(viewer), result

    def _take_viewer(self, viewer: accounts.Viewer | None) -> User | None:
        signed_in, name = viewer is not None, viewer.user.name if viewer else ""
        is_creator, is_reviewer = bool(viewer and viewer.is_creator), bool(viewer and viewer.user.is_reviewer)
        # Only what changed: each assignment would go to the browser again, on every event.
        now = (signed_in, name, is_creator, is_reviewer)
        if (self.signed_in, self.user_name, self.is_creator, self.is_reviewer) != now:
            self.signed_in, self.user_name, self.is_creator, self.is_reviewer = now
        return viewer.user if viewer else None

    def _show_unread(self, count: int) -> None:
        if count != self.unread_notifications:
            self.unread_notifications = count

    @rx.event
    async def refresh_bell(self, _tick: str = ""):
        """The bell's count: when a page shows it, and every half minute after (the header's timer)."""
        if not self.signed_in:
            return
        user, count = await self._as_user(inbox.unread_count)
        self._show_unread(count if user else 0)

    def _login_redirect(self) -> rx.event.EventSpec:
        return rx.redirect(f"/login?next={self.router.url.path}")

    @rx.var
    def demo_accounts(self) -> list[list[str]]:
        return [list(account) for account in DEMO_ACCOUNTS] if get_settings().demo_data else []

    @rx.event
    async def go_home(self):
        """`/`: each person's portal, or the login page."""
        if await self._user() is None:
            return rx.redirect("/login")
        return rx.redirect(self._home())

    def _home(self) -> str:
        if self.is_reviewer:
            return "/review"
        return "/creator/resolutions" if self.is_creator else "/purchases"

    async def _start(self, signed: accounts.SignedIn):
        self.token = signed.token
        self.auth_error = ""
        await self._user()
        return rx.redirect(own_path(self.router.url.query_parameters.get("next", "")) or self._home())

    @rx.event
    async def log_in(self, form: dict):
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        try:
            signed = await hashing(accounts.log_in, email, password, self.router.session.client_ip)
        except DomainError as error:
            self.auth_error = error.message
            return None
        return await self._start(signed)

    @rx.event
    async def sign_up(self, form: dict):
        name, email, password = (str(form.get(field, "")) for field in ("name", "email", "password"))
        try:
            signed = await hashing(accounts.sign_up, name, email, password)
        except DomainError as error:
            self.auth_error = error.message
            return None
        return await self._start(signed)

    @rx.event
    async def log_out(self):
        if self.token:
            await asyncio.to_thread(accounts.log_out, self.token)
        self.token = ""
        self.signed_in = False
        self.user_name = ""
        return rx.redirect("/login")
