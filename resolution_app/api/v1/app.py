"""The public API's routes: a key lists, reads and answers its business's cases.

Routes are plain functions: FastAPI runs them in its thread pool, off Reflex's event loop, as they call the
synchronous services (which do all the checking; this module only translates HTTP).
"""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import to_json

from resolution_app.api.v1 import errors
from resolution_app.api.v1.docs import docs_page
from resolution_app.domain.enums import CaseStatus, Reason
from resolution_app.domain.errors import DomainError
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.developers import api_cases, api_keys, idempotency
from resolution_app.services.developers.api_keys import ApiCaller
from resolution_app.services.developers.case_resource import API_VERSION, CaseListItem, CaseResource

app = FastAPI(
    title="Resolution Center API",
    version=API_VERSION,
    description="List, read and answer your business's refund cases. Authenticate with a key from Settings → "
    'Developers: `Authorization: Bearer rc_key_…`. Errors are `{"error": {"type", "message"}}`.',
    openapi_url="/openapi.json",
    docs_url=None,  # FastAPI's docs pages load scripts from a CDN; /docs is our own page
    redoc_url=None,
    responses=errors.RESPONSES,
)
errors.install(app)
app.add_route("/docs", docs_page, include_in_schema=False)
bearer = HTTPBearer(auto_error=False, description="An API key from Settings → Developers.")


async def bearer_key(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    """The key as sent. None, or text no key looks like, is refused here, before the request's parameters are read;
    a key of the right shape is checked by the route itself (authenticated, or the list's own statement), in the
    worker thread it runs in: as a synchronous dependency, FastAPI would run that check in a thread of its own
    first, and the second hop cost about as much as the check's statement."""
    if credentials is None or not api_keys.looks_like_key(credentials.credentials):
        raise errors.Unauthorized(errors.NO_KEY)
    return credentials.credentials


Key = Annotated[str, Depends(bearer_key)]


def authenticated(key: str) -> ApiCaller:
    found = api_keys.authenticate(key)
    if found is None:
        raise errors.Unauthorized(errors.NO_KEY)
    return found


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=idempotency.KEY_MAX_CHARS,
        description="Repeat the request with the same key and body to get the first answer, never a second action.",
    ),
]


class PageInfo(BaseModel):
    has_next_page: bool
    end_cursor: str | None = Field(description="Pass as `after` for the next page.")


class CaseList(BaseModel):
    data: list[CaseListItem]
    page_info: PageInfo


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Denial(Strict):
    message: str = Field(min_length=1, max_length=DEFAULT_POLICY.message_max_chars, description="Why you deny it.")


class Question(Strict):
    question: str = Field(min_length=1, max_length=DEFAULT_POLICY.message_max_chars, description="For the buyer.")


class NewMessage(Strict):
    body: str = Field(min_length=1, max_length=DEFAULT_POLICY.message_max_chars)


AS_UTC = "ISO 8601; without a zone, UTC."


def _iso_only(value: object) -> object:
    """A time as ISO 8601 text only: pydantic would also read a bare number as seconds since 1970."""
    if isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError("must be an ISO 8601 date and time, e.g. 2026-12-01T00:00:00Z")
    return value


Moment = Annotated[datetime | None, BeforeValidator(_iso_only), Field(description=AS_UTC)]


class ListParameters(Strict):
    """The list's query parameters; any other is refused, so a misspelt filter never silently lists everything."""

    status: CaseStatus | None = None
    reason: Reason | None = None
    created_after: Moment = None
    created_before: Moment = None
    first: int = Field(25, ge=1, le=api_cases.MAX_PAGE, description="How many cases.")
    after: str | None = Field(None, max_length=200, description="The `end_cursor` of the page before.")


@app.get("/resolution_center_cases", response_model=CaseList, summary="List cases, newest first")
def list_cases(key: Key, asked: Annotated[ListParameters, Query()]) -> Response:
    query = api_cases.CaseQuery(
        asked.status, asked.reason, asked.created_after, asked.created_before, asked.first, asked.after
    )
    page = api_cases.list_cases(key, query)  # checks the key in the list's own statement
    if page is None:
        raise errors.Unauthorized(errors.NO_KEY)
    return page_response(page)


def page_response(page: api_cases.CasePage) -> Response:
    """CaseList's fields, written as the model would (tests hold them to it), without building it: see list_entries."""
    info = {"has_next_page": page.has_next_page, "end_cursor": page.end_cursor}
    return Response(to_json({"data": page.cases, "page_info": info}), media_type="application/json")


@app.get("/resolution_center_cases/{case_id}", response_model=CaseResource, summary="Read a case")
def get_case(key: Key, case_id: int) -> Response:
    return _json(api_cases.get_case(authenticated(key), case_id))


def _json(model: BaseModel, status_code: int = 200) -> Response:
    """The answer as its model writes it: built from typed models here, it needs no second validation on the way
    out (the routes' response_model is for the document)."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


def _once(
    request: Request,
    caller: ApiCaller,
    idempotency_key: str | None,
    sent: dict | None,
    act: Callable[[], CaseResource],
    done: int,
) -> Response:
    """Act and answer; with an Idempotency-Key, only the first request with it acts and every repeat gets its
    answer, byte for byte (errors included: a repeat never acts a second time)."""
    if idempotency_key is None:
        return _json(act(), done)
    first = idempotency.claim(
        caller.key_id, idempotency_key, idempotency.request_hash(request.method, request.url.path, sent)
    )
    if first is not None:
        return _replayed(first)
    try:
        answer = _json(act(), done)
    except DomainError as error:
        answer = errors.error_response(error)
    except Exception:
        failed = JSONResponse(errors.body(500, "The request failed midway."), status_code=500)
        idempotency.keep(caller.key_id, idempotency_key, _answer(failed))
        raise
    idempotency.keep(caller.key_id, idempotency_key, _answer(answer))
    return answer


def _answer(response: Response) -> idempotency.Answer:
    return idempotency.Answer(response.status_code, bytes(response.body).decode())


def _replayed(answer: idempotency.Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    return Response(answer.body, status_code=answer.status_code, media_type="application/json", headers=headers)


ACTED = {200: {"description": "The case as it is now.", "model": CaseResource}}


@app.post("/resolution_center_cases/{case_id}/accept", responses=ACTED, summary="Accept: refund the buyer")
def accept(request: Request, key: Key, case_id: int, idempotency_key: IdempotencyKey = None) -> Response:
    caller = authenticated(key)
    return _once(request, caller, idempotency_key, None, partial(api_cases.take_action, caller, case_id, "accept"), 200)


@app.post("/resolution_center_cases/{case_id}/deny", responses=ACTED, summary="Deny, saying why")
def deny(request: Request, key: Key, case_id: int, denial: Denial, idempotency_key: IdempotencyKey = None) -> Response:
    caller = authenticated(key)
    act = partial(api_cases.take_action, caller, case_id, "deny", denial.message)
    return _once(request, caller, idempotency_key, denial.model_dump(), act, 200)


@app.post("/resolution_center_cases/{case_id}/request_info", responses=ACTED, summary="Ask the buyer for more")
def request_info(
    request: Request, key: Key, case_id: int, asked: Question, idempotency_key: IdempotencyKey = None
) -> Response:
    caller = authenticated(key)
    act = partial(api_cases.take_action, caller, case_id, "request_info", asked.question)
    return _once(request, caller, idempotency_key, asked.model_dump(), act, 200)


@app.post(
    "/resolution_center_cases/{case_id}/messages",
    status_code=201,
    responses={201: {"description": "The case, with the message.", "model": CaseResource}},
    summary="Write to the buyer",
)
def send_message(
    request: Request, key: Key, case_id: int, message: NewMessage, idempotency_key: IdempotencyKey = None
) -> Response:
    caller = authenticated(key)
    act = partial(api_cases.send_message, caller, case_id, message.body)
    return _once(request, caller, idempotency_key, message.model_dump(), act, 201)
