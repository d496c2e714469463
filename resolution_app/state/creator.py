"""The creator portal's states: the frame with its badge, the Resolution center table and the case page."""

import reflex as rx

from resolution_app.domain.enums import Party
from resolution_app.models import User
from resolution_app.services import creator_cases
from resolution_app.state.case_page import CasePageState
from resolution_app.state.session import SessionState


class CreatorState(SessionState):
    """Every creator page: who is asking (a member of a business) and the "N open resolutions" badge."""

    open_resolutions: int = 0

    def _creator(self) -> User | None:
        user = self._user()
        if user is None or not self.is_creator:
            return None
        self.open_resolutions = creator_cases.open_resolutions_count(user)
        return user

    def _not_creator(self):
        return self._login_redirect() if not self.signed_in else rx.redirect("/purchases")

    @rx.event
    def refresh_badge(self):
        if self._creator() is None:
            return self._not_creator()


class CreatorCaseState(CasePageState, CreatorState):
    _party = Party.CREATOR

    def _viewer(self) -> User | None:
        return self._creator()
