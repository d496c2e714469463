"""/api/v1/docs: the API's reference, written from its own OpenAPI document, so it never says other than the API does.
Served as one self-contained page: no scripts, nothing loaded from elsewhere."""

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from resolution_app.domain.policy import DEFAULT_POLICY

GUIDE = """
<h2 id="authentication">Authentication</h2>
<p>Make a key on <a href="/creator/settings/developers">Settings → Developers</a> and send it with every request:
<code>Authorization: Bearer rc_key_…</code>. A key reaches only its own business's cases. "Read" keys list and read;
"Read and write" keys also accept, deny, ask and write, with the rights of the member who made the key.</p>
<pre>curl -H "Authorization: Bearer $RC_KEY" \\
  "{base}/resolution_center_cases?status=merchant_response_needed&amp;first=10"</pre>
<h2 id="pagination">Pagination</h2>
<p>Lists are newest first. Pass <code>first</code> (1–100) and, for the next page, <code>after</code> set to the
<code>page_info.end_cursor</code> of the page before, while <code>page_info.has_next_page</code> is true.</p>
<h2 id="errors">Errors</h2>
<p>Every error is <code>{{"error": {{"type": …, "message": …}}}}</code>: 401 no valid key, 403 the key may not do this,
404 no such case for this business, 409 the case changed (read it again), 422 the request is not valid, 429 too many
requests (wait the <code>Retry-After</code> seconds).</p>
<h2 id="idempotency">Retrying writes</h2>
<p>Send an <code>Idempotency-Key</code> header (any unique string, e.g. a UUID) with a POST. Repeating it with the same
key and body returns the first answer (with <code>Idempotent-Replayed: true</code>) and never acts twice; the same key
with another body is a 422. Keys are remembered for 24 hours.</p>
<h2 id="limits">Rate limit</h2>
<p>{limit} requests a minute per key, however many servers answer.</p>
<h2 id="webhooks">Webhooks</h2>
<p>Add an endpoint on the Developers page to receive <code>resolution_center_case.created</code>,
<code>.updated</code> and <code>.decided</code>. Each POST is signed by the
<a href="https://www.standardwebhooks.com/">Standard Webhooks</a> scheme: verify it with your endpoint's
<code>whsec_…</code> secret, e.g. in Python with the <code>standardwebhooks</code> package:</p>
<pre>from standardwebhooks.webhooks import Webhook
event = Webhook(secret).verify(request_body, request_headers)  # raises if the signature is wrong</pre>
<p>The body is <code>{{"id", "type", "timestamp", "api_version", "company_id", "data", "previous_attributes"}}</code>,
<code>data</code> being the case as <code>GET /resolution_center_cases/{{id}}</code> returns it (file links are null:
read the case for them). Answer 2xx within 10 seconds. Failed deliveries are retried for over a day with the same
<code>webhook-id</code>, so handle each id once.</p>
"""


def _schema_name(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_schema_name(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_schema_name(schema.get('items', {}))}"
    return schema.get("format") or schema.get("type", "any")


def _operation(path: str, method: str, operation: dict) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{escape(_schema_name(p.get('schema', {})))}</td><td>{escape(p.get('description', ''))}</td></tr>"
        for p in operation.get("parameters", [])
    )
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    answers = ", ".join(
        f"{escape(code)} {escape(answer.get('description', ''))}" for code, answer in operation["responses"].items()
    )
    return (
        f"<h3>{escape(operation.get('summary', ''))}</h3><p><code>{method.upper()} {escape(path)}</code></p>"
        + (f"<table><tr><th>Name</th><th>In</th><th>Type</th><th></th></tr>{rows}</table>" if rows else "")
        + (f"<p>Body: <code>{escape(_schema_name(body))}</code></p>" if body else "")
        + f"<p>Answers: {answers}</p>"
    )


def _schemas(components: dict) -> str:
    parts = []
    for name, schema in components.items():
        fields = "".join(
            f"<tr><td><code>{escape(field)}</code></td><td>{escape(_schema_name(spec))}</td>"
            f"<td>{escape(spec.get('description', ''))}</td></tr>"
            for field, spec in schema.get("properties", {}).items()
        )
        if fields:
            parts.append(f"<h3 id='{escape(name)}'>{escape(name)}</h3><table>{fields}</table>")
    return "".join(parts)


def docs_page(request: Request) -> HTMLResponse:
    document = request.app.openapi()
    base = escape(str(request.base_url).rstrip("/") + request.scope.get("root_path", ""))
    endpoints = "".join(
        _operation(path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Resolution Center API</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><style>'
        "body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.5}"
        "pre,code{background:#f4f4f5;border-radius:4px}pre{padding:.75em;overflow-x:auto}code{padding:0 .2em}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left}"
        "</style></head><body><main>"
        f"<h1>Resolution Center API <small>{escape(document['info']['version'])}</small></h1>"
        f'<p>Base URL: <code>{base}</code> · <a href="openapi.json">OpenAPI document</a></p>'
        + GUIDE.format(base=base, limit=DEFAULT_POLICY.api_requests_per_minute)
        + f"<h2 id='endpoints'>Endpoints</h2>{endpoints}"
        + f"<h2 id='objects'>Objects</h2>{_schemas(document.get('components', {}).get('schemas', {}))}"
        + "</main></body></html>"
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
