"""The review app's pages, login and logout, and its two static files. Every route needs a login except
/login and the stylesheet; every POST checks the CSRF token. The actions are in action_routes.py."""

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from adcraft.kernel.settings import TEMPLATES_DIR, get_settings
from adcraft.kernel.templating import render
from adcraft.review import actions, pages, sessions
from adcraft.review.auth import (
    address,
    csrf_checked,
    csrf_token,
    csrf_valid,
    current_user,
    log_in,
    log_out,
    optional_user,
    take_flashes,
    users,
)
from adcraft.review.present import label, redact, when
from adcraft.review.store import writing
from adcraft.review.users import User, check_login

router = APIRouter()
NO_STORE = {"Cache-Control": "no-store"}
HELPERS = {"when": when, "redact": redact, "channel_label": label}
"""What every template may call: times with their timezone, text without server paths, channel names."""


def render_page(name: str, **context) -> str:
    return render(f"review/{name}.html.j2", **HELPERS, **context)


def page(request: Request, name: str, status: int = 200, user: User | None = None, headers: dict | None = None,
         **context) -> HTMLResponse:
    html = render_page(name, user=user or optional_user(request), csrf_token=csrf_token(request),
                       flashes=take_flashes(request), **context)
    return HTMLResponse(html, status_code=status, headers={**NO_STORE, **(headers or {})})


def base_url(batch_id: str) -> str:
    """The batch page's path, which its forms and links build on."""
    return f"/batches/{quote(batch_id, safe='')}"


def safe_next(target: str | None, default: str = "/batches") -> str:
    """Only a path on this site: never another host (//evil.example, /\\evil.example)."""
    ok = target and target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if ok else default


@router.get("/login")
def login_form(request: Request, next: str = "/batches"):
    if optional_user(request):
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login", title="Log in", next=safe_next(next), error=None)


@router.post("/login", dependencies=[Depends(csrf_valid)])
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/batches")):
    name, where = username[:64], address(request)
    paused = sessions.paused(name, where)
    if paused:  # refused before the password is even checked: guessing on gets nowhere
        with writing() as con:
            actions.audit(con, None, "login_failed", username=name,
                          detail=f"refused from {where}: logins for this {paused.kind} are paused")
        return page(request, "login", status=429, title="Log in", next=safe_next(next),
                    error=paused.message(name), headers={"Retry-After": str(paused.retry_after)})
    user = check_login(users(request), username, password)
    sessions.record_attempt(name, where, user is not None)
    with writing() as con:
        actions.audit(con, user, "login" if user else "login_failed", username=user.name if user else name,
                      detail=f"from {where}")
    if user is None:
        return page(request, "login", status=401, title="Log in", next=safe_next(next),
                    error=f"Wrong user name or password. Try again, or ask whoever keeps the users file to check "
                          f"your entry (docs/review.md). After {sessions.USER_LIMIT} failed tries, logins for a "
                          f"user name pause for {sessions.WINDOW_S // 60} minutes.")
    log_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, user: User = Depends(csrf_checked)):
    log_out(request)  # first: the session is over even if the warehouse is busy
    with writing() as con:
        actions.audit(con, user, "logout")
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home(user: User = Depends(current_user)):
    return RedirectResponse("/batches", status_code=303)


@router.get("/batches")
def batch_list(request: Request, user: User = Depends(current_user)):
    return page(request, "batches", user=user, title="Batches", batches=pages.batches())


@router.get("/batches/{batch_id}")
def batch(request: Request, batch_id: str, user: User = Depends(current_user)):
    data = pages.batch_page(batch_id, pages.Filters.from_query(request.query_params))
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return page(request, "batch", user=user, title=f"Batch {batch_id}", back=back, base=base_url(batch_id), **data)


@router.get("/batches/{batch_id}/items/{item_id}/history")
def history(request: Request, batch_id: str, item_id: str, user: User = Depends(current_user)):
    return page(request, "history", user=user, title=f"History of {item_id}", base=base_url(batch_id),
                **pages.history_page(batch_id, item_id))


@router.get("/batches/{batch_id}/diff")
def diff(request: Request, batch_id: str, user: User = Depends(current_user)):
    return page(request, "diff", user=user, title=f"Changes in {batch_id}", **pages.diff_page(batch_id))


@router.get("/audit")
def audit_log(request: Request, batch: str | None = None, user: User = Depends(current_user)):
    return page(request, "audit", user=user, title="Audit log", **pages.audit_page(batch or None))


@router.get("/media/banners/{path:path}")
def banner_file(path: str, user: User = Depends(current_user)):
    """A banner PNG, only from under the banners folder (links and '..' resolved first)."""
    root = get_settings().banners_dir.resolve()
    file = (root / path).resolve()
    if not (file.is_relative_to(root) and file.suffix == ".png" and file.is_file()):
        raise pages.NotFound("No such banner. Open it from its batch page.")
    return FileResponse(file, media_type="image/png", headers=NO_STORE)


@router.get("/static/review.css")
def stylesheet():
    return FileResponse(Path(TEMPLATES_DIR, "review", "review.css"), media_type="text/css")


@router.get("/static/review.js")
def script(user: User = Depends(current_user)):
    """The pages' one script (keyboard shortcuts, selection, actions without a reload); the content security
    policy lets pages run scripts from this app only, and no inline script."""
    return FileResponse(Path(TEMPLATES_DIR, "review", "review.js"), media_type="text/javascript")
