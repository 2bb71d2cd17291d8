"""The review app's pages and actions. Every route needs a login except /login and the stylesheet;
every POST checks the CSRF token; deciding and publishing need the reviewer role."""

from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from adcraft.kernel.settings import TEMPLATES_DIR, get_settings
from adcraft.kernel.templating import render
from adcraft.review import actions, pages
from adcraft.review.auth import (
    csrf_checked,
    csrf_token,
    csrf_valid,
    current_user,
    flash,
    log_in,
    optional_user,
    reviewer,
    take_flashes,
    users,
)
from adcraft.review.store import writing
from adcraft.review.users import User, check_login

router = APIRouter()
posted = [Depends(csrf_checked)]
NO_STORE = {"Cache-Control": "no-store"}


def page(request: Request, name: str, status: int = 200, user: User | None = None, **context) -> HTMLResponse:
    html = render(f"review/{name}.html.j2", user=user or optional_user(request), csrf_token=csrf_token(request),
                  flashes=take_flashes(request), **context)
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def safe_next(target: str | None, default: str = "/batches") -> str:
    """Only a path on this site: never another host (//evil.example, /\\evil.example)."""
    ok = target and target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if ok else default


def _back(batch_id: str, back: str, anchor: str = "") -> RedirectResponse:
    own = f"/batches/{batch_id}"
    target = back if safe_next(back, "") and (back == own or back.startswith(own + "?")) else own
    return RedirectResponse(target + anchor, status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/batches"):
    if optional_user(request):
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login", title="Log in", next=safe_next(next), error=None)


@router.post("/login", dependencies=[Depends(csrf_valid)])
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/batches")):
    user = check_login(users(request), username, password)
    with writing() as con:
        actions.audit(con, user, "login" if user else "login_failed", username=user.name if user else username[:64])
    if user is None:
        return page(request, "login", status=401, title="Log in", next=safe_next(next),
                    error="Wrong user name or password. Try again, or ask whoever keeps the users file to check "
                          "your entry (docs/review.md).")
    log_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, user: User = Depends(csrf_checked)):
    with writing() as con:
        actions.audit(con, user, "logout")
    request.session.clear()
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
    return page(request, "batch", user=user, title=f"Batch {batch_id}", back=back, **data)


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


@router.post("/batches/{batch_id}/items/{item_id}/approve", dependencies=posted)
def approve(request: Request, batch_id: str, item_id: str, content_sha256: str = Form(...), back: str = Form(""),
            user: User = Depends(reviewer)):
    flash(request, actions.approve(user, batch_id, item_id, content_sha256))
    return _back(batch_id, back, f"#item-{item_id}")


@router.post("/batches/{batch_id}/items/{item_id}/reject", dependencies=posted)
def reject(request: Request, batch_id: str, item_id: str, content_sha256: str = Form(...), reason: str = Form(""),
           back: str = Form(""), user: User = Depends(reviewer)):
    flash(request, actions.reject(user, batch_id, item_id, content_sha256, reason))
    return _back(batch_id, back, f"#item-{item_id}")


@router.post("/batches/{batch_id}/items/{item_id}/edit", dependencies=posted)
def edit(request: Request, batch_id: str, item_id: str, content_sha256: str = Form(...), text: str = Form(""),
         back: str = Form(""), user: User = Depends(reviewer)):
    flash(request, actions.edit(user, batch_id, item_id, content_sha256, text))
    return _back(batch_id, back, f"#item-{item_id}")


@router.post("/batches/{batch_id}/bulk-approve", dependencies=posted)
def bulk_approve(request: Request, batch_id: str, threshold: float = Form(...), back: str = Form(""),
                 user: User = Depends(reviewer)):
    flash(request, actions.bulk_approve(user, batch_id, threshold))
    return _back(batch_id, back)


@router.post("/batches/{batch_id}/publish", dependencies=posted)
def publish(request: Request, batch_id: str, back: str = Form(""), user: User = Depends(reviewer)):
    flash(request, actions.publish(user, batch_id))
    return _back(batch_id, back)


@router.post("/batches/{batch_id}/hold", dependencies=posted)
def hold(request: Request, batch_id: str, back: str = Form(""), user: User = Depends(reviewer)):
    flash(request, actions.hold(user, batch_id))
    return _back(batch_id, back)
