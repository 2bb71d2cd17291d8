"""The review app's actions: approve, reject and edit an item; approve (after a preview) or reject several
at once; publish; hold. Every one needs a reviewer's login and the session's CSRF token.

A form posted by the page's script (header X-Requested-With: fetch) gets JSON back: the message, and the
changed lines and their products' card heads as HTML, for the script to put in place; the batch is not
loaded again. Without the script, a form gets a redirect back to the page, with the message on it.
"""

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from adcraft.review import actions, pages
from adcraft.review.actions import ActionRefused, Outcome
from adcraft.review.auth import csrf_checked, csrf_token, flash, reviewer
from adcraft.review.routes import NO_STORE, base_url, page, render_page, safe_next
from adcraft.review.store import reading
from adcraft.review.users import User

router = APIRouter()
posted = [Depends(csrf_checked)]


def wants_json(request: Request) -> bool:
    return request.headers.get("x-requested-with") == "fetch"


def _back(batch_id: str, back: str, anchor: str = "") -> RedirectResponse:
    own = f"/batches/{batch_id}"
    target = back if safe_next(back, "") and (back == own or back.startswith(own + "?")) else own
    return RedirectResponse(target + anchor, status_code=303)


def _fragments(request: Request, user: User, view: dict | None, back: str) -> dict:
    """The changed lines and their products' card heads, rendered as on the page, and the batch's counts."""
    if not view:
        return {"rows": {}, "heads": {}, "counts": {}}
    context = {"user": user, "csrf_token": csrf_token(request), "base": base_url(view["batch"]["batch_id"]),
               "back": back}
    rows = {line["item_id"]: render_page("fragment", line=line, product=None, **context) for line in view["lines"]}
    heads = {p["sku"]: render_page("fragment", line=None, product=p, **context) for p in view["products"]}
    counts = {k: view["batch"][k] for k in ("approved", "needs_review", "rejected")}
    return {"rows": rows, "heads": heads, "counts": counts}


def _answer(request: Request, user: User, batch_id: str, back: str, outcome: Outcome, anchor: str = ""):
    if wants_json(request):
        return JSONResponse({"ok": True, "message": outcome.message, **_fragments(request, user, outcome.view, back)},
                            headers=NO_STORE)
    flash(request, outcome.message)
    return _back(batch_id, back, anchor)


def _view(request: Request, on_page: str):
    """Ask an action for the changed items as they are now, only when the page's script will show them, and
    only those on the page's cards (on_page: their SKUs, separated by spaces), when it says which."""
    if not wants_json(request):
        return None
    skus = set(on_page.split()) if on_page.strip() else None
    return lambda con, ids: pages.lines_view(con, request.path_params["batch_id"], ids, skus)


def _selected(values: list[str], joined: str = "") -> dict[str, str]:
    """Selected items as item id -> the content fingerprint the page showed: "<item id>:<sha256>" in fields of
    their own (ticked boxes), or many in one field, separated by spaces (a bulk approve's confirmation, which
    may list thousands: a form takes at most 1,000 fields)."""
    pairs = (value.rpartition(":") for value in [*values, *joined.split()])
    return {item_id: sha for item_id, _, sha in pairs if item_id and len(sha) == 64}


@router.post("/batches/{batch_id}/items/{item_id}/approve", dependencies=posted)
def approve(request: Request, batch_id: str, item_id: str, content_sha256: str = Form(...), back: str = Form(""),
            on_page: str = Form(""), user: User = Depends(reviewer)):
    outcome = actions.approve(user, batch_id, item_id, content_sha256, view=_view(request, on_page))
    return _answer(request, user, batch_id, back, outcome, f"#item-{item_id}")


@router.post("/batches/{batch_id}/items/{item_id}/reject", dependencies=posted)
def reject(request: Request, batch_id: str, item_id: str, content_sha256: str = Form(...), reason: str = Form(""),
           back: str = Form(""), on_page: str = Form(""), user: User = Depends(reviewer)):
    outcome = actions.reject(user, batch_id, item_id, content_sha256, reason, view=_view(request, on_page))
    return _answer(request, user, batch_id, back, outcome, f"#item-{item_id}")


@router.post("/batches/{batch_id}/items/{item_id}/edit", dependencies=posted)
def edit(request: Request, batch_id: str, item_id: str, content_sha256: str = Form(...), text: str = Form(""),
         back: str = Form(""), on_page: str = Form(""), user: User = Depends(reviewer)):
    outcome = actions.edit(user, batch_id, item_id, content_sha256, text, view=_view(request, on_page))
    return _answer(request, user, batch_id, back, outcome, f"#item-{item_id}")


@router.post("/batches/{batch_id}/reject-selected", dependencies=posted)
def reject_selected(request: Request, batch_id: str, item: list[str] = Form([]), reason: str = Form(""),
                    back: str = Form(""), on_page: str = Form(""), user: User = Depends(reviewer)):
    outcome = actions.reject_many(user, batch_id, _selected(item), reason, view=_view(request, on_page))
    return _answer(request, user, batch_id, back, outcome)


def _threshold(value: str, batch: dict) -> float:
    if not value.strip():
        return round(((batch["approve_at"] or 0.75) + (batch["review_at"] or 0.4)) / 2, 2)
    try:
        threshold = float(value)
    except ValueError:
        threshold = -1.0
    if not 0 <= threshold <= 1:
        raise ActionRefused(400, "The quality threshold is a number from 0 to 1, e.g. 0.6; change it and try again.")
    return threshold


@router.post("/batches/{batch_id}/bulk-approve", dependencies=posted)
def bulk_approve(request: Request, batch_id: str, step: str = Form("preview"), threshold: str = Form(""),
                 item: list[str] = Form([]), items: str = Form(""), status: str = Form(""), channel: str = Form(""),
                 segment: str = Form(""), check: str = Form(""), q: str = Form(""), back: str = Form(""),
                 on_page: str = Form(""), scope: str = Form("view"), user: User = Depends(reviewer)):
    """Step 1 (preview, the default) changes nothing: it shows how many items a bulk approve takes, and which,
    and what it leaves. Step 2 (confirm) approves exactly the items the preview listed, as they were shown.
    scope: "view" (the page's filters, with a threshold) or "selected" (the ticked items)."""
    selected = _selected(item, items)
    if scope == "selected" and not selected:
        raise ActionRefused(400, "Select one or more items first (tick their boxes, or a product's or a channel's "
                                 "box), then press Approve selected again.")
    if step == "confirm":
        detail = f"one of {len(selected)} items previewed and confirmed together"
        outcome = actions.approve_many(user, batch_id, selected, detail, view=_view(request, on_page))
        return _answer(request, user, batch_id, back, outcome)
    filters = pages.Filters.from_query({"status": status, "channel": channel, "segment": segment, "check": check,
                                        "q": q})
    with reading() as con:
        batch = pages.batch_head(con, batch_id)
        value = None if item else _threshold(threshold, batch)
        scope = pages.bulk_scope(con, batch_id, None if item else filters, selected if item else None, value)
    context = {"batch": batch, "scope": scope, "filters": filters, "back": back or base_url(batch_id),
               "base": base_url(batch_id)}
    if wants_json(request):
        html = render_page("bulk_preview_dialog", csrf_token=csrf_token(request), user=user, **context)
        return JSONResponse({"ok": True, "dialog": html}, headers=NO_STORE)
    return page(request, "bulk_preview", user=user, title=f"Bulk approve in {batch_id}", **context)


@router.post("/batches/{batch_id}/publish", dependencies=posted)
def publish(request: Request, batch_id: str, back: str = Form(""), user: User = Depends(reviewer)):
    flash(request, actions.publish(user, batch_id))
    return _back(batch_id, back)


@router.post("/batches/{batch_id}/hold", dependencies=posted)
def hold(request: Request, batch_id: str, back: str = Form(""), user: User = Depends(reviewer)):
    flash(request, actions.hold(user, batch_id))
    return _back(batch_id, back)

