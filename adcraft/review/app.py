"""The review app: FastAPI with server-rendered Jinja2 pages (templates/review/). docs/review.md.

Errors become pages that say what to do next; no traceback or warehouse error text reaches a browser.
"""

import logging
import secrets
import time
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from adcraft.kernel.errors import WarehouseLockedError
from adcraft.kernel.settings import Settings, get_settings
from adcraft.review import action_routes, routes
from adcraft.review.actions import ActionRefused
from adcraft.review.auth import Forbidden, LoginRequired
from adcraft.review.pages import NotFound
from adcraft.review.present import redact
from adcraft.review.store import ensure_schema
from adcraft.review.users import UsersFileError

log = logging.getLogger("adcraft.review")

# The only script is the app's own file (/static/review.js): no inline script, no attribute handler, nothing
# from elsewhere, so an injected tag has nothing to run. The script talks only to this app.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; "
                               "style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
BUSY = ("The nightly run is writing to the warehouse right now. Try again in a minute: nothing you did was "
        "lost, and nothing was half-saved.")


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response, and Server-Timing: the server's time on the request until its
    response starts (app;dur=<ms>), which the browser's developer tools and bench/review_scale.py read."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                took = (time.perf_counter() - started) * 1000
                message["headers"].append((b"server-timing", f"app;dur={took:.1f}".encode()))
            await send(message)

        await self.app(scope, receive, with_headers)


def error_page(request: Request, status: int, title: str, message: str, back: str | None = None,
               signed_in: bool = True, headers: dict | None = None) -> HTMLResponse | JSONResponse:
    """An error as a page that says what to do next; as JSON for the page's script. Never a server path."""
    message = redact(message)
    if action_routes.wants_json(request):
        return JSONResponse({"ok": False, "title": title, "message": message, "login": status == 401},
                            status_code=status, headers={**(headers or {}), **routes.NO_STORE})
    if signed_in:
        return routes.page(request, "error", status=status, title=title, message=message, back=back,
                           headers=headers)
    html = routes.render_page("error", user=None, csrf_token="", flashes=[], title=title, message=message, back=back)
    return HTMLResponse(html, status_code=status, headers={**(headers or {}), **routes.NO_STORE})


def _batch_back(request: Request) -> str | None:
    batch_id = request.path_params.get("batch_id")
    return f"/batches/{quote(batch_id)}" if batch_id else None


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return error_page(request, 401, "Log in first", "Your session ended or you are not logged in. Log in, "
                          "then do it again.", back="/login", signed_in=False)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        return error_page(request, 403, "Not allowed", str(exc), back=_batch_back(request) or "/batches")

    @app.exception_handler(ActionRefused)
    async def refused(request: Request, exc: ActionRefused):
        return error_page(request, exc.status, "Not done", str(exc), back=_batch_back(request))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error_page(request, 404, "Not found", str(exc), back="/batches")

    @app.exception_handler(WarehouseLockedError)
    async def busy(request: Request, exc: WarehouseLockedError):
        log.warning("warehouse busy: %s", exc)
        again = request.url.path if request.method == "GET" else _batch_back(request)
        return error_page(request, 503, "The warehouse is busy", BUSY, back=again, signed_in=False,
                          headers={"Retry-After": "60"})

    @app.exception_handler(UsersFileError)
    async def users_file(request: Request, exc: UsersFileError):
        log.error("%s", exc)
        return error_page(request, 503, "Logins are not set up", str(exc), signed_in=False)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        message = "There is no such page here. Start again from the list of batches."
        return error_page(request, exc.status_code, "Not here", message, back="/batches", signed_in=False)

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError):
        return error_page(request, 400, "Incomplete form", "The form was incomplete or had a value of the wrong "
                          "kind. Go back, reload the page and try again.", back=_batch_back(request))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("review app error on %s %s", request.method, request.url.path)
        response = error_page(request, 500, "Something went wrong", "The app hit an error it did not expect. "
                              "Try again; if it happens again, send the time to an engineer: the details are in "
                              "the log of `adcraft review`.", back="/batches", signed_in=False)
        response.headers.update(SECURITY_HEADERS)  # this response skips the middleware
        return response


def _signing_key(settings: Settings) -> str:
    if settings.review_secret_key:
        return settings.review_secret_key
    path = settings.home / "review_secret.key"
    if not path.exists():  # one key per ADCRAFT_HOME, so logins survive a restart
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def create_app() -> FastAPI:
    settings = get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        ensure_schema()  # the app's tables (schema 003) exist before the first read-only request
        yield

    # No /docs or /openapi.json: every route but the login page needs a login.
    app = FastAPI(title="adcraft review", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(SessionMiddleware, secret_key=_signing_key(settings), session_cookie="adcraft_review",
                       max_age=int(settings.review_session_hours * 3600), same_site="lax",
                       https_only=settings.review_secure_cookies)
    app.add_middleware(SecurityHeaders)
    app.include_router(routes.router)
    app.include_router(action_routes.router)
    _add_handlers(app)
    return app
