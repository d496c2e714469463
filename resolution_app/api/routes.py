"""HTTP routes beside the Reflex app: signed file downloads and health."""

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from resolution_app.domain.errors import NotFound
from resolution_app.services import files, health


async def download_file(request: Request) -> Response:
    try:
        download = files.open_download(request.path_params["token"])
    except NotFound as error:
        return PlainTextResponse(error.message, status_code=404)
    headers = {
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(download.display_name)}",
        "Content-Length": str(download.size),
        "X-Content-Type-Options": "nosniff",  # the browser must trust our sniffed type, not guess its own
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
        "Cache-Control": "private, max-age=60",
    }
    return StreamingResponse(download.chunks, media_type=download.content_type, headers=headers)


async def health_check(_: Request) -> Response:
    problems = health.problems()
    return JSONResponse({"ok": not problems, "problems": problems}, status_code=503 if problems else 200)


api = Starlette(
    routes=[
        Route("/api/files/{token}", download_file),
        Route("/api/health", health_check),
    ]
)
