"""`adcraft review`: start the review web app, and manage its users. docs/review.md."""

import os
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer

from adcraft.kernel.settings import get_settings

app = typer.Typer(
    help="The review web app: analysts approve, reject and edit a batch's copy and banners, then publish. "
         "Run it with no command to start it; users and roles come from a YAML file (docs/review.md).",
    invoke_without_command=True,
    add_completion=False,
)

RoleOpt = Annotated[str, typer.Option(help="reviewer: may decide and publish; viewer: may only look.")]


@app.callback()
def review(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on. Default: ADCRAFT_REVIEW_URL's host.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on. Default: ADCRAFT_REVIEW_URL's port.")] = None,
    lock_timeout: Annotated[float, typer.Option(
        help="Seconds a page waits for a nightly run's warehouse write lock before it shows 'try again in a "
             "minute'.")] = 20.0,
):
    """Start the review app (uvicorn) and print its URL. Ctrl-C stops it."""
    if ctx.invoked_subcommand:
        return
    # Set for this process before anything reads settings: a page should not wait two minutes for the lock.
    os.environ["ADCRAFT_LOCK_TIMEOUT_S"] = str(lock_timeout)
    get_settings.cache_clear()
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()  # before Prefect loads: resuming a paused run must reach the runs' Prefect API
    import uvicorn

    from adcraft.kernel.errors import WarehouseLockedError
    from adcraft.review.app import create_app
    from adcraft.review.store import ensure_schema
    from adcraft.review.users import UsersFileError, load_users

    settings = get_settings()
    try:
        users = load_users(settings.review_users_path)
        ensure_schema()
    except (UsersFileError, WarehouseLockedError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    url = urlsplit(get_settings().review_url)
    host, port = host or url.hostname or "127.0.0.1", port or url.port or 8000
    typer.echo(f"Review app: http://{host}:{port}/  "
               f"({len(users)} users from {settings.review_users_path}; Ctrl-C stops it)")
    uvicorn.run(create_app(), host=host, port=port, log_level="info")


def _role(role: str) -> str:
    from adcraft.review.users import ROLES

    if role not in ROLES:
        raise typer.BadParameter(f"{role!r} is not a role; use one of: {', '.join(ROLES)}.")
    return role


@app.command("add-user")
def add_user(
    name: Annotated[str, typer.Argument(help="Login name, e.g. alice.")],
    role: RoleOpt = "reviewer",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          help="Asked for when left out; only its scrypt hash is stored.")] = "",
    users_file: Annotated[Path, typer.Option(help="Defaults to ADCRAFT_REVIEW_USERS_FILE or "
                                                  "$ADCRAFT_HOME/reviewers.yaml.")] = None,
):
    """Add a user to the users file, or replace their role and password. The app picks it up at once."""
    from adcraft.review.users import add_user as add

    if len(password) < 8:
        raise typer.BadParameter("Use a password of at least 8 characters.", param_hint="--password")
    path = users_file or get_settings().review_users_path
    add(path, name, _role(role), password)
    typer.echo(f"{name} ({role}) saved in {path}")


@app.command("hash-password")
def hash_password(
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          help="Asked for when left out.")] = "",
):
    """Print a password's scrypt hash, for writing a users file by hand."""
    from adcraft.review.users import hash_password as make_hash

    typer.echo(make_hash(password))
