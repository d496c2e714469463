"""A tab whose state the server has forgotten reloads, rather than acting on a blank one.

A tab's state lives in Redis under the scaled profile. When Redis restarts without its data, or drops a state
idle past its expiry, the tab's socket stays connected and its next event meets a new, empty state: no session
token, no open case, no page. Reflex would run that event anyway, so the person would be sent to the log-in page
or their click would do nothing. Instead the page reloads itself: the browser sends its cookie again in the
hydrate, and the person sees current data, still signed in. Whatever that one click was for did not happen, so
nothing is done twice; they click again.
"""

import reflex as rx
from reflex.event import Event
from reflex.middleware import Middleware
from reflex.state import BaseState, State, StateUpdate
from reflex.utils.format import format_event_handler

from resolution_app.state.session import SessionState

HYDRATE_AND_LOAD = format_event_handler(State.event_handlers["hydrate_and_load"])
APP_EVENTS = SessionState.get_full_name() + "."  # every handler of ours lives on SessionState or a substate of it
RELOAD_SCRIPT = "window.location.reload()"
RELOAD = Event.from_event_type(rx.call_script(RELOAD_SCRIPT))


class ForgottenTabs(Middleware):
    async def preprocess(self, app: rx.App, state: BaseState, event: Event) -> StateUpdate | None:
        if event.name == HYDRATE_AND_LOAD:  # a tab (re)connecting: from here on its state is known
            (await state.get_state(SessionState))._tab_known = True
            return None
        if not event.name.startswith(APP_EVENTS) or (await state.get_state(SessionState))._tab_known:
            return None
        return StateUpdate(events=RELOAD)
