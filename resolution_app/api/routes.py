"""HTTP routes beside the Reflex app: signed file downloads, the creator's CSV export, the case PDF, the emails'
one-click unsubscribe, health, and the public API (api/v1).

They share Reflex's event loop: database and storage work runs in threads (`asyncio.to_thread`, or Starlette's
thread pool for a plain `def` route and for a streamed body's synchronous chunks).
"""

import asyncio
import logging
from collections.abc import Callable, Iterator
from html import escape
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route

from resolution_app.api.v1.app import app as api_v1
from resolution_app.domain.analytics import range_from_query
from resolution_app.domain.enums import Party
from resolution_app.domain.errors import DomainError, InvalidInput, NotFound
from resolution_app.infra.clock import clock
from resolution_app.infra.settings import get_settings
from resolution_app.models import User
from resolution_app.services import accounts, files, health
from resolution_app.services.analytics import export as analytics_export
from resolution_app.services.cases import case_pdf
from resolution_app.services.creator import creator_cases, exports
from resolution_app.services.notifications import preferences

log = logging.getLogger(__name__)
UNFILTERED_KEYS = ("sort", "descending", "time_zone")  # what `all=1` keeps: the whole set, in the table's order


HEALTH_TIMEOUT_SECONDS = 2.0  # a dependency that hangs makes the app unhealthy now, not after the client gives up


async def download_file(request: Request) -> Response:
    try:
        download = await asyncio.to_thread(files.open_download, request.path_params["token"])
    except NotFound as error:
        return PlainTextResponse(error.message, status_code=404)
    headers = {
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(download.display_name)}",
        "X-Content-Type-Options": "nosniff",  # the browser must trust our sniffed type, not guess its own
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
        "Cache-Control": "private, max-age=60",
    }
    if download.size is not None:
        headers["Content-Length"] = str(download.size)
    return StreamingResponse(download.chunks, media_type=download.content_type, headers=headers)


def export_cases(request: Request) -> Response:
    """GET /api/creator/cases.csv: the Resolution center table as CSV, filtered like the table (or all=1)."""
    # A plain def: Starlette runs it, and the streamed body, in its thread pool, off the event loop.
    viewer = accounts.viewer_for_token(request.cookies.get(accounts.SESSION_COOKIE, ""))
    if viewer is None:
        return PlainTextResponse("Log in to export cases.", status_code=401)
    if not viewer.is_creator:
        return PlainTextResponse("Only members of a business can export its cases.", status_code=403)
    user = viewer.user
    params = request.query_params
    if params.get("all") == "1":
        params = {key: params[key] for key in UNFILTERED_KEYS if key in params}
    try:
        case_filter = creator_cases.filter_from_query(params)
    except (DomainError, ValueError) as error:
        return PlainTextResponse(error.message if isinstance(error, DomainError) else str(error), status_code=400)
    headers = {
        "Content-Disposition": f'attachment; filename="{exports.export_file_name(case_filter)}"',
        "Cache-Control": "no-store",  # customers' personal data: no copies in caches
        "X-Content-Type-Options": "nosniff",
    }
    rows = _cut_off_on_failure(exports.export_cases_csv(user, case_filter), user.id)
    return StreamingResponse(rows, media_type="text/csv; charset=utf-8", headers=headers)


def export_creator_analytics(request: Request) -> Response:
    """GET /api/creator/analytics.csv?from=…&to=…&time_zone=…: the creator's analytics figures for the range."""
    viewer = accounts.viewer_for_token(request.cookies.get(accounts.SESSION_COOKIE, ""))
    if viewer is None:
        return PlainTextResponse("Log in to export analytics.", status_code=401)
    if not viewer.is_creator:
        return PlainTextResponse("Only members of a business can export its analytics.", status_code=403)
    return _analytics_csv(request, viewer.user, analytics_export.creator_csv, "analytics")


def export_review_analytics(request: Request) -> Response:
    """GET /api/review/analytics.csv?from=…&to=…&time_zone=…: the reviewers' figures for the range (staff only)."""
    viewer = accounts.viewer_for_token(request.cookies.get(accounts.SESSION_COOKIE, ""))
    if viewer is None:
        return PlainTextResponse("Log in to export analytics.", status_code=401)
    return _analytics_csv(request, viewer.user, analytics_export.review_csv, "review-analytics")


def _analytics_csv(request: Request, user: User, export: Callable[..., Iterator[str]], prefix: str) -> Response:
    # A plain def, like the cases' export: the figures are computed in Starlette's thread pool, before the response
    # starts, so a refusal is a status code rather than a cut-off download.
    params = request.query_params
    try:
        period = range_from_query(
            params.get("from", "")[:20], params.get("to", "")[:20], params.get("time_zone", "UTC")[:100], clock.now()
        )
        chunks = export(user, period)
    except NotFound as error:
        return PlainTextResponse(error.message, status_code=404)
    except DomainError as error:
        return PlainTextResponse(error.message, status_code=400)
    headers = {
        "Content-Disposition": f'attachment; filename="{analytics_export.file_name(prefix, period)}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(chunks, media_type="text/csv; charset=utf-8", headers=headers)


def _cut_off_on_failure(chunks: Iterator[str], user_id: int) -> Iterator[str]:
    """The export's chunks; a failure after the first is logged and raised on, so the server breaks the connection
    off (no final chunk): a partial export never ends the way a complete one does."""
    try:
        yield from chunks
    except Exception:
        log.exception("The CSV export for user %s failed midway; the download was cut off.", user_id)
        raise


def creator_case_pdf(request: Request) -> Response:
    """GET /api/creator/cases/<id>.pdf: the case packet for a member of the case's business (no internal notes)."""
    return _case_pdf(request, Party.CREATOR)


def review_case_pdf(request: Request) -> Response:
    """GET /api/review/cases/<id>.pdf: the reviewer's copy, with the internal notes."""
    return _case_pdf(request, Party.REVIEWER)


def _case_pdf(request: Request, party: Party) -> Response:
    # Plain defs, like the export: the PDF is written in Starlette's thread pool and streamed from its spool file.
    viewer = accounts.viewer_for_token(request.cookies.get(accounts.SESSION_COOKIE, ""))
    if viewer is None:
        return PlainTextResponse("Log in to download the case.", status_code=401)
    time_zone = request.query_params.get("time_zone", "UTC")[:100]
    try:
        document = case_pdf.case_pdf(viewer.user, request.path_params["case_id"], party, time_zone)
    except NotFound as error:
        return PlainTextResponse(error.message, status_code=404)
    except InvalidInput as error:
        return PlainTextResponse(error.message, status_code=400)
    headers = {
        "Content-Disposition": f'attachment; filename="{document.file_name}"',
        "Content-Length": str(document.size),
        "Cache-Control": "no-store",  # customers' personal data: no copies in caches
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(document.chunks, media_type="application/pdf", headers=headers)


def unsubscribe(request: Request) -> Response:
    """The one-click link in every email (RFC 8058). A mail client POSTs to it and emails stop; a person who opens
    it in a browser (GET) is asked to confirm first, so a link scanner fetching it changes nothing."""
    token = request.path_params["token"]
    try:
        if request.method == "GET":  # a dead link says so at once, not after the click
            preferences.unsubscribe_subject(token)
            return _mail_page("Turn off Resolution Center emails?", _UNSUBSCRIBE_FORM, status_code=200)
        address = preferences.unsubscribe(token)
    except NotFound as error:
        return _mail_page("Link not valid", f"<p>{escape(error.message)}</p>", status_code=404)
    body = (
        f"<p>Resolution Center emails to {escape(address)} are off. In-app notifications keep coming.</p>"
        '<p><a href="{settings}">Notification settings</a></p>'
    ).replace("{settings}", escape(get_settings().app_url + "/settings/notifications"))
    return _mail_page("Emails turned off", body, status_code=200)


_UNSUBSCRIBE_FORM = (
    "<p>You'll get no more emails about your cases. The bell in the app still shows everything.</p>"
    '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
    '<button type="submit">Turn off emails</button></form>'
)


def _mail_page(title: str, body: str, status_code: int) -> HTMLResponse:
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em">'
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )
    headers = {"Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; form-action 'self'"}
    return HTMLResponse(page, status_code=status_code, headers=headers)


async def health_check(_: Request) -> Response:
    """200 when every dependency answers in time and is fit to serve, else 503 naming each problem; with the
    figures the checks report (the job queue's oldest due job)."""
    outcomes = await asyncio.gather(*(_answers(name, check) for name, check in health.checks().items()))
    problems = [problem for problem, _ in outcomes if problem]
    figures = {key: value for _, found in outcomes for key, value in found.items()}
    body = {"ok": not problems, "problems": problems, "figures": figures}
    return JSONResponse(body, status_code=503 if problems else 200)


async def _answers(name: str, check: Callable[[], health.Figures | None]) -> tuple[str, health.Figures]:
    """("", figures) when the dependency answered in time, else what went wrong (a hung check's thread finishes on
    its own). Errors are named by their type: their messages may carry addresses or credentials."""
    try:
        figures = await asyncio.wait_for(asyncio.to_thread(check), HEALTH_TIMEOUT_SECONDS)
    except TimeoutError:
        return f"{name}: no answer within {HEALTH_TIMEOUT_SECONDS:g} s", {}
    except health.Unwell as unwell:
        return f"{name}: {unwell}", {}
    except Exception as error:  # noqa: BLE001 - health reports any failure
        return f"{name}: {type(error).__name__}", {}
    return "", figures or {}


class AnyPath(PathConvertor):
    """Starlette's `path` convertor, line breaks included. Its `.*` stopped at one, and every mount matches the rest of
    the path with it: a client's %0A took the request out of the API (and of Reflex's own mount of this app) to a
    plain-text 404, instead of the API's JSON error."""

    regex = "(?s:.*)"


# Before any mount is built: this module's, and Reflex's, which mounts this app when the server starts.
register_url_convertor("path", AnyPath())

api = Starlette(
    routes=[
        Route("/api/files/{token}", download_file),
        Route("/api/creator/cases.csv", export_cases),
        Route("/api/creator/analytics.csv", export_creator_analytics),
        Route("/api/review/analytics.csv", export_review_analytics),
        Route("/api/creator/cases/{case_id:int}.pdf", creator_case_pdf),
        Route("/api/review/cases/{case_id:int}.pdf", review_case_pdf),
        Route("/api/health", health_check),
        Route(preferences.UNSUBSCRIBE_PATH + "{token}", unsubscribe, methods=["GET", "POST"]),
        Mount("/api/v1", app=api_v1),
    ]
)
