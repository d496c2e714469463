"""Whatever a browser sends: every service that takes text, dates or ids either does its work or refuses with the
project's own DomainError (a message for the person). No other exception ever escapes: no database error from a
NUL byte, a lone surrogate or an id past 64 bits, no OverflowError from year 9999."""

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from resolution_app.domain.enums import Party
from resolution_app.domain.errors import DomainError
from resolution_app.infra.db import transaction
from resolution_app.models import Case, LegalDocument, Payment
from resolution_app.services import accounts, files
from resolution_app.services.cases import case_actions, case_pdf, case_views, claims
from resolution_app.services.creator import auto_respond, creator_cases, customer_context, exports, legal
from resolution_app.services.notifications import inbox, preferences

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Any text at all: control characters, lone surrogates (a browser's JSON can carry "\ud800"), very long.
text = st.text(st.characters(exclude_categories=()), max_size=300) | st.sampled_from(["", " ", "\x00", "a" * 6000])
numbers = st.integers() | st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64])
QUERY_KEYS = ["opened_from", "opened_to", "status", "reason", "search", "sort", "descending", "time_zone"]
dates = st.dates().map(str) | st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-11-22"])
queries = st.dictionaries(st.sampled_from(QUERY_KEYS), text | dates | st.sampled_from(["waiting", "0", "1"]))


def works_or_refuses(call: Callable[[], object]) -> None:
    try:
        result = call()
        if hasattr(result, "__next__"):
            list(result)  # a stream fails while it is read, not when it is made
    except DomainError:
        pass


def _ids(model) -> st.SearchStrategy[int]:
    with transaction() as session:
        existing = session.exec(select(model.id)).all()
    return numbers | st.sampled_from(existing) if existing else numbers


@pytest.fixture
def ids(world) -> dict[str, st.SearchStrategy[int]]:
    return {"case": _ids(Case), "payment": _ids(Payment), "document": _ids(LegalDocument)}


@FUZZ
@given(email=text, password=text, address=text)
def test_log_in(world, email, password, address):
    works_or_refuses(lambda: accounts.log_in(email, password, address))


@FUZZ
@given(name=text, email=text, password=text)
def test_sign_up(world, name, email, password):
    works_or_refuses(lambda: accounts.sign_up(name, email, password))


@FUZZ
@given(token=text)
def test_tokens_of_sessions_and_links(world, token):
    works_or_refuses(lambda: accounts.viewer_for_token(token))
    works_or_refuses(lambda: accounts.log_out(token))
    works_or_refuses(lambda: files.open_download(token))
    works_or_refuses(lambda: preferences.unsubscribe(token))


@FUZZ
@given(notification_id=numbers, case_id=numbers, page=numbers)
def test_notifications(world, notification_id, case_id, page):
    buyer = world.buyer
    works_or_refuses(lambda: inbox.mark_read(buyer, notification_id))
    works_or_refuses(lambda: inbox.read_case(buyer, case_id))
    works_or_refuses(lambda: inbox.inbox_page(buyer, page))


@FUZZ
@given(data=st.data(), reason=text, description=text)
def test_claims(world, ids, data, reason, description):
    payment_id = data.draw(ids["payment"])
    works_or_refuses(lambda: claims.claimable_payment(world.buyer, payment_id))
    works_or_refuses(lambda: claims.open_claim(world.buyer, payment_id, reason, description, []))


@FUZZ
@given(data=st.data(), party=st.sampled_from(Party), action=text | st.sampled_from(["reply", "deny", "accept"]))
def test_case_actions_and_views(world, ids, data, party, action):
    case_id, version, words = data.draw(ids["case"]), data.draw(numbers | st.integers(0, 4)), data.draw(text)
    for user in (world.buyer, world.creator):
        works_or_refuses(lambda user=user: case_views.case_detail(user, case_id, party))
        works_or_refuses(lambda user=user: case_actions.send_message(user, case_id, party, words))
        works_or_refuses(
            lambda user=user: case_actions.act(user, case_id, party, action, expected_version=version, text=words)
        )
    works_or_refuses(lambda: customer_context.customer_context(world.creator, case_id))


@FUZZ
@given(
    data=st.data(), party=st.sampled_from(Party), time_zone=text | st.sampled_from(["UTC", "Asia/Tokyo", "posix/UTC"])
)
def test_the_case_pdf(world, ids, data, party, time_zone):
    case_id = data.draw(ids["case"])
    for user in (world.buyer, world.creator, world.reviewer):
        works_or_refuses(lambda user=user: b"".join(case_pdf.case_pdf(user, case_id, party, time_zone).chunks))


@FUZZ
@given(query=queries, page=numbers, columns=st.lists(text, max_size=5))
def test_the_creator_table_and_export(world, query, page, columns):
    def table_and_export() -> None:
        case_filter = creator_cases.filter_from_query(query)
        works_or_refuses(lambda: creator_cases.table_view(world.creator, case_filter, page))
        works_or_refuses(lambda: exports.export_cases_csv(world.creator, case_filter))

    works_or_refuses(table_and_export)
    works_or_refuses(lambda: creator_cases.save_columns(world.creator, columns))


@FUZZ
@given(card=text, paypal=text, reasons=st.lists(text, max_size=4), message=text)
def test_auto_respond_settings(world, card, paypal, reasons, message):
    works_or_refuses(lambda: auto_respond.save_settings(world.creator, card, paypal, reasons, message))


@FUZZ
@given(data=st.data(), kind=text | st.sampled_from(["terms", "privacy", "refund_policy"]), body=text)
def test_legal_documents(world, ids, data, kind, body):
    document_id = data.draw(ids["document"])
    works_or_refuses(lambda: legal.add_text_version(world.creator, kind, body))
    works_or_refuses(lambda: legal.document_link(world.creator, document_id))
