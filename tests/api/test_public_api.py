"""The public API (/api/v1): each endpoint, its errors, idempotent writes, the rate limit, one business per key."""

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from resolution_app.api.routes import api
from resolution_app.api.v1.app import CaseList
from resolution_app.domain.enums import CaseStatus, MemberRole, PaymentMethod
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.db import transaction
from resolution_app.models import BusinessMember, Case, Message
from resolution_app.services.cases import claims
from resolution_app.services.developers import api_keys, rate_limit
from resolution_app.services.developers.case_resource import LIST_COLUMNS, ListedCase
from tests.services.factories import DESCRIPTION
from tests.services.members import add_member, other_creator, seeded_business_id

CASES = "/api/v1/resolution_center_cases"


@pytest.fixture
def client() -> TestClient:
    return TestClient(api)


def _key(user, scope: str = "read_write") -> dict[str, str]:
    return {"Authorization": f"Bearer {api_keys.create_key(user, 'Tool', scope).secret}"}


def _open(world) -> int:
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    return claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [])


def _business_cases() -> list[Case]:
    with transaction() as session:
        return list(session.exec(select(Case).where(Case.business_id == seeded_business_id())))


def _messages(case_id: int) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(Message).where(Message.case_id == case_id)).one()


def _error(response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error"} and response.json()["error"]["type"] == kind
    return response.json()["error"]["message"]


def _all_ids(client, headers, **filters) -> list[int]:
    ids, after = [], None
    while True:
        params = {**filters, "first": 2} | ({"after": after} if after else {})
        page = client.get(CASES, params=params, headers=headers).json()
        ids += [case["id"] for case in page["data"]]
        if not page["page_info"]["has_next_page"]:
            return ids
        after = page["page_info"]["end_cursor"]


def test_the_list_is_the_business_s_cases_newest_first_page_by_page(world, client):
    headers = _key(world.creator, "read")
    newest = _open(world)
    cases = _business_cases()
    expected = [case.id for case in sorted(cases, key=lambda case: (case.opened_at, case.id), reverse=True)]
    assert _all_ids(client, headers) == expected and expected[0] == newest
    first = client.get(CASES, params={"first": 1}, headers=headers).json()["data"][0]
    assert first["buyer"] == {"name": "Blair Buyer", "email": "buyer@example.com", "username": world.buyer.username}
    assert first["amount"] == {"amount": 1900, "currency": "USD", "formatted": "$19.00"}
    assert first["status"] == "merchant_response_needed" and first["object"] == "resolution_center_case"


def test_filters_narrow_the_list(world, client):
    headers = _key(world.creator, "read")
    _open(world)
    cases = _business_cases()
    waiting = {c.id for c in cases if c.status == CaseStatus.MERCHANT_RESPONSE_NEEDED}
    assert set(_all_ids(client, headers, status="merchant_response_needed")) == waiting
    # One statement per set of filters serves every value: each value, one after another, gets its own cases.
    assert len({c.status for c in cases}) > 2
    for status in {c.status for c in cases}:
        assert set(_all_ids(client, headers, status=status)) == {c.id for c in cases if c.status == status}
    for reason in {c.reason for c in cases}:
        assert set(_all_ids(client, headers, reason=reason)) == {c.id for c in cases if c.reason == reason}
    middle = sorted(c.opened_at for c in cases)[len(cases) // 2]
    assert set(_all_ids(client, headers, created_after=middle.isoformat())) == {
        c.id for c in cases if c.opened_at > middle
    }
    naive = middle.replace(tzinfo=None).isoformat()  # taken as UTC
    assert set(_all_ids(client, headers, created_before=naive)) == {c.id for c in cases if c.opened_at < middle}


def test_list_entries_are_written_as_their_model_and_the_case_itself_write_them(world, client):
    headers = _key(world.creator, "read")
    _open(world)
    answer = client.get(CASES, params={"first": 100}, headers=headers)
    # The entries are built as plain values, not as models (case_resource.list_entries): byte for byte, the body is
    # what CaseList writes, and each entry what reading its case shows.
    assert CaseList.model_validate_json(answer.content).model_dump_json().encode() == answer.content
    entries = answer.json()["data"]
    for entry in entries:
        case = client.get(f"{CASES}/{entry['id']}", headers=headers).json()
        assert entry == {name: case[name] for name in entry}
    statuses = {entry["status"] for entry in entries}
    assert {"under_platform_review", "merchant_response_needed"} <= statuses and len(statuses) > 3
    assert any(entry["due_at"] for entry in entries) and any(entry["resolved_at"] for entry in entries)


def test_a_listed_case_reads_the_list_s_columns_by_their_names():
    assert ListedCase._fields == tuple(LIST_COLUMNS.selected_columns.keys())


@pytest.mark.parametrize(
    "params",
    [
        {"first": 0},
        {"first": 101},
        {"status": "lost"},
        {"reason": "x"},
        {"after": "bm90LWEtY3Vyc29y"},
        {"after": "!"},
        {"created_after": "1700000000"},
        {"stauts": "merchant_response_needed"},  # misspelt: refused, not ignored
    ],
)
def test_bad_list_parameters_are_422(world, client, params):
    _error(client.get(CASES, params=params, headers=_key(world.creator, "read")), 422, "invalid_request")


def test_a_case_reads_whole_with_the_actions_this_key_may_take(world, client):
    case_id = _open(world)
    writer = client.get(f"{CASES}/{case_id}", headers=_key(world.creator)).json()
    assert writer["available_actions"] == ["accept", "deny", "request_info", "send_message"]
    assert writer["description"] == DESCRIPTION and writer["payment"]["method"] == "card"
    assert [entry["type"] for entry in writer["timeline"]] == ["opened"] and writer["messages"] == []
    reader = client.get(f"{CASES}/{case_id}", headers=_key(world.creator, "read")).json()
    assert reader["available_actions"] == [] and reader["id"] == case_id


def test_a_viewer_s_write_key_offers_nothing_and_may_do_nothing(world, client):
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    headers = _key(manager)
    with transaction() as session:  # the maker is made a viewer after making the key
        session.execute(update(BusinessMember).where(BusinessMember.user_id == manager.id).values(role="viewer"))
    case_id = _open(world)
    assert client.get(f"{CASES}/{case_id}", headers=headers).json()["available_actions"] == []
    _error(client.post(f"{CASES}/{case_id}/accept", headers=headers), 403, "forbidden")
    assert world.case(case_id).status == CaseStatus.MERCHANT_RESPONSE_NEEDED


def test_ask_then_write_then_a_move_the_case_no_longer_allows(world, client):
    headers = _key(world.creator)
    case_id = _open(world)
    answer = client.post(f"{CASES}/{case_id}/request_info", json={"question": "Which module?"}, headers=headers)
    assert answer.status_code == 200 and answer.json()["status"] == "customer_info_needed"
    assert answer.json()["timeline"][-1]["text"] == "Which module?"
    written = client.post(f"{CASES}/{case_id}/messages", json={"body": "Thanks for waiting."}, headers=headers)
    assert written.status_code == 201 and written.json()["messages"][-1]["body"] == "Thanks for waiting."
    _error(client.post(f"{CASES}/{case_id}/accept", headers=headers), 409, "conflict")  # it waits on the buyer now


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [("accept", None, "customer_won"), ("deny", {"message": "It works as described."}, "customer_response_needed")],
)
def test_accept_and_deny_move_the_case_as_on_the_page(world, client, path, body, status):
    case_id = _open(world)
    moved = client.post(f"{CASES}/{case_id}/{path}", json=body, headers=_key(world.creator))
    assert moved.status_code == 200 and moved.json()["status"] == status == world.case(case_id).status
    assert moved.json()["timeline"][-1]["type"] == path


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("deny", {}),
        ("deny", {"message": ""}),
        ("request_info", {"question": " "}),
        ("messages", {"body": 3}),
        ("messages", {"body": "hi", "extra": 1}),
    ],
)
def test_a_write_without_its_words_is_422_and_changes_nothing(world, client, path, body):
    case_id = _open(world)
    _error(client.post(f"{CASES}/{case_id}/{path}", json=body, headers=_key(world.creator)), 422, "invalid_request")
    assert world.case(case_id).version == 1


@pytest.mark.parametrize("header", [None, "Bearer rc_key_nope", "Bearer ", "Basic abc", "rc_key_x"])
def test_no_valid_key_is_401_and_reveals_nothing(world, client, header):
    case_id = _open(world)
    headers = {"Authorization": header} if header else {}
    for response in (
        client.get(CASES, headers=headers),
        client.get(f"{CASES}/{case_id}", headers=headers),
        client.post(f"{CASES}/{case_id}/accept", headers=headers),
    ):
        assert "Pickaxe" not in response.text
        _error(response, 401, "authentication_failed")
    assert world.case(case_id).version == 1


@pytest.mark.parametrize("header", [None, "Basic abc", "Bearer not-a-key"])
def test_a_request_without_a_key_is_refused_before_its_parameters_are_read(world, client, header):
    case_id = _open(world)
    headers = {"Authorization": header} if header else {}
    _error(client.get(CASES, params={"first": 0}, headers=headers), 401, "authentication_failed")
    _error(client.post(f"{CASES}/{case_id}/deny", json={}, headers=headers), 401, "authentication_failed")


def test_a_revoked_key_is_refused_at_once(world, client):
    made = api_keys.create_key(world.creator, "Old", "read")
    headers = {"Authorization": f"Bearer {made.secret}"}
    assert client.get(CASES, headers=headers).status_code == 200
    api_keys.revoke_key(world.creator, made.key_id)
    _error(client.get(CASES, headers=headers), 401, "authentication_failed")


def test_the_list_checks_its_key_in_its_own_statement_as_strictly_as_the_other_endpoints(world, client, frozen_clock):
    case_id = _open(world)
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    made = api_keys.create_key(manager, "Manager's bot", "read")
    headers = {"Authorization": f"Bearer {made.secret}"}
    assert client.get(CASES, headers=headers).json()["data"][0]["id"] == case_id
    assert api_keys.keys_view(world.creator).keys[0].last_used_at == frozen_clock.now()  # a listing is a use
    with transaction() as session:
        session.delete(session.exec(select(BusinessMember).where(BusinessMember.user_id == manager.id)).one())
    _error(client.get(CASES, headers=headers), 401, "authentication_failed")  # gone with the member who made it
    unknown = {"Authorization": f"Bearer {made.secret[:-1]}x"}
    _error(client.get(CASES, params={"status": "customer_won"}, headers=unknown), 401, "authentication_failed")


def test_a_read_key_may_not_write(world, client):
    case_id = _open(world)
    headers = _key(world.creator, "read")
    for path, body in (("accept", None), ("deny", {"message": "No."}), ("messages", {"body": "Hi"})):
        _error(client.post(f"{CASES}/{case_id}/{path}", json=body, headers=headers), 403, "forbidden")
    assert world.case(case_id).version == 1


def test_another_business_s_key_finds_none_of_these_cases(world, client):
    case_id = _open(world)
    headers = _key(other_creator())
    assert client.get(CASES, headers=headers).json()["data"] == []
    _error(client.get(f"{CASES}/{case_id}", headers=headers), 404, "not_found")
    for path, body in (
        ("accept", None),
        ("deny", {"message": "No."}),
        ("request_info", {"question": "Why?"}),
        ("messages", {"body": "Hi"}),
    ):
        _error(client.post(f"{CASES}/{case_id}/{path}", json=body, headers=headers), 404, "not_found")
    assert world.case(case_id).version == 1
    assert _messages(case_id) == 0


@pytest.mark.parametrize("case_id", ["abc", "%0A", "1%0D%0A2", "%F3%86%82%82%0A"])
def test_a_case_id_that_is_no_number_gets_the_api_s_own_error(world, case_id):
    # Line breaks (%0A) once took a request out of the API's mount, and of Reflex's around it, to a plain-text 404.
    client = TestClient(Starlette(routes=[Mount("", app=api)]))  # as Reflex serves the app: mounted at ""
    headers = _key(world.creator)
    for response in (
        client.get(f"{CASES}/{case_id}", headers=headers),
        client.post(f"{CASES}/{case_id}/messages", json={"body": "Hi"}, headers=headers),
    ):
        _error(response, 422, "invalid_request")


@pytest.mark.parametrize("case_id", ["0", "-1", "99999999999999999999", "2147483648"])
def test_impossible_case_ids_are_not_found(world, client, case_id):
    _error(client.get(f"{CASES}/{case_id}", headers=_key(world.creator)), 404, "not_found")


def test_a_repeat_with_the_idempotency_key_gets_the_first_answer_and_acts_once(world, client):
    headers = _key(world.creator) | {"Idempotency-Key": "msg-1"}
    case_id = _open(world)
    first = client.post(f"{CASES}/{case_id}/messages", json={"body": "Once."}, headers=headers)
    again = client.post(f"{CASES}/{case_id}/messages", json={"body": "Once."}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201) and first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _messages(case_id) == 1
    _error(client.post(f"{CASES}/{case_id}/messages", json={"body": "Other."}, headers=headers), 422, "invalid_request")


def test_an_error_is_kept_for_its_repeats_too(world, client):
    headers = _key(world.creator) | {"Idempotency-Key": "deny-1"}
    case_id = _open(world)
    client.post(f"{CASES}/{case_id}/accept", headers=_key(world.creator))
    first = client.post(f"{CASES}/{case_id}/deny", json={"message": "No."}, headers=headers)
    _error(first, 409, "conflict")
    assert client.post(f"{CASES}/{case_id}/deny", json={"message": "No."}, headers=headers).json() == first.json()


def test_two_requests_with_one_idempotency_key_at_the_same_moment_act_once(world, client):
    headers = _key(world.creator) | {"Idempotency-Key": "race"}
    case_id = _open(world)
    start, answers = threading.Barrier(4), []

    def post() -> None:
        start.wait()
        answers.append(TestClient(api).post(f"{CASES}/{case_id}/messages", json={"body": "Race."}, headers=headers))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [201] * 4
    assert len({answer.text for answer in answers}) == 1
    assert _messages(case_id) == 1


def test_the_rate_limit_answers_429_with_retry_after_until_the_next_minute(world, client, monkeypatch, frozen_clock):
    monkeypatch.setattr(rate_limit, "DEFAULT_POLICY", replace(DEFAULT_POLICY, api_requests_per_minute=3))
    headers = _key(world.creator, "read")
    other = _key(world.creator, "read")
    assert [client.get(CASES, headers=headers).status_code for _ in range(3)] == [200] * 3
    limited = client.get(CASES, headers=headers)
    _error(limited, 429, "rate_limited")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert client.get(CASES, headers=other).status_code == 200  # per key
    frozen_clock.advance(timedelta(seconds=int(limited.headers["Retry-After"])))
    assert client.get(CASES, headers=headers).status_code == 200


def test_the_openapi_document_and_the_docs_page(world, client):
    document = client.get("/api/v1/openapi.json").json()
    assert {"/resolution_center_cases", "/resolution_center_cases/{case_id}/accept"} <= set(document["paths"])
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "Idempotency-Key" in page.text and "<script" not in page.text
