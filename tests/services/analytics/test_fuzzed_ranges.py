"""Whatever a browser or an export link sends as a range: the analytics either answer or refuse with a DomainError
(a message for the person), never another exception (a NUL byte, year 9999, a zone that is a path)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolution_app.domain.analytics import range_from_query
from resolution_app.domain.errors import DomainError
from resolution_app.infra.clock import clock
from resolution_app.services.analytics.export import creator_csv, review_csv

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(st.characters(exclude_categories=()), max_size=40) | st.sampled_from(["", " ", "\x00"])
dates = st.dates().map(str) | st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-11-22", "2000-01-01"])
zones = text | st.sampled_from(
    ["UTC", "Europe/Berlin", "Pacific/Kiritimati", "Etc/GMT+12", "/etc/passwd", "..", "a" * 300]
)


@FUZZ
@given(first=text | dates, last=text | dates, zone=zones)
def test_any_range_is_answered_or_refused(world, first, last, zone):
    for user, export in ((world.creator, creator_csv), (world.reviewer, review_csv)):
        try:
            period = range_from_query(first, last, zone, clock.now())
            "".join(export(user, period))
        except DomainError:
            pass
