"""Logins, roles and CSRF for the review app.

The signed session cookie (HttpOnly, SameSite=Lax) holds a session token, the CSRF token every form posts
back, and the next page's messages. The session itself is kept on the server (sessions.py): a logout or a
new password ends it at once. The user's role is read from the users file on each request, so a change
there applies at once too.
"""

import hmac
import secrets

from fastapi import Depends, Request

from adcraft.review import sessions
from adcraft.review.users import User, load_users

SESSION, CSRF, FLASH = "session", "csrf", "flash"
_UNKNOWN = object()


class LoginRequired(Exception):
    pass


class Forbidden(Exception):
    pass


def users(request: Request) -> dict[str, User]:
    return load_users(request.app.state.settings.review_users_path)


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def optional_user(request: Request) -> User | None:
    """The user of this request's session, if it is open on the server and their password has not changed."""
    known = getattr(request.state, "user", _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    user = None
    token = request.session.get(SESSION)
    found = sessions.find(token) if isinstance(token, str) else None
    if found:
        user = users(request).get(found["username"])
        if user is None or found["password_stamp"] != user.session_stamp:
            user = None  # removed from the users file, or the password changed since the login
    request.state.user = user
    return user


def current_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise LoginRequired()
    return user


def reviewer(request: Request, user: User = Depends(current_user)) -> User:
    if not user.can_decide:
        raise Forbidden(f"{user.name} has the viewer role: viewers can look but not decide or publish. Ask "
                        f"whoever keeps {request.app.state.settings.review_users_path.name} "
                        "to give you the reviewer role.")
    return user


def log_in(request: Request, user: User) -> None:
    """A fresh session for the user: nothing from before the login (a planted token) carries over."""
    request.session.clear()
    token = sessions.start(user.name, user.session_stamp, address(request))
    request.session.update({SESSION: token, CSRF: secrets.token_urlsafe(32)})
    request.state.user = user


def log_out(request: Request) -> None:
    """End the session on the server, so a copy of its cookie no longer logs anyone in."""
    token = request.session.get(SESSION)
    if isinstance(token, str):
        sessions.end(token)
    request.session.clear()
    request.state.user = None


def csrf_token(request: Request) -> str:
    if CSRF not in request.session:
        request.session[CSRF] = secrets.token_urlsafe(32)
    return request.session[CSRF]


async def csrf_valid(request: Request) -> None:
    """The form carries this session's CSRF token (the login form too: no login planted from elsewhere)."""
    sent = (await request.form()).get("csrf_token", "")
    expected = request.session.get(CSRF, "")
    if not (expected and isinstance(sent, str) and hmac.compare_digest(sent, expected)):
        raise Forbidden("This form was not sent from a page of this app, or your session changed since you "
                        "loaded it. Reload the page and try again.")


async def csrf_checked(request: Request, user: User = Depends(current_user)) -> User:
    """For every POST after login: first the login (401), then the form's CSRF token (403)."""
    await csrf_valid(request)
    return user


def flash(request: Request, message: str) -> None:
    request.session[FLASH] = [*request.session.get(FLASH, []), message][-3:]


def take_flashes(request: Request) -> list[str]:
    return request.session.pop(FLASH, [])
