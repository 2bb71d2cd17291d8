"""`adcraft serve`: the local stack in one command. It starts a Prefect server with the UI (its state under
$ADCRAFT_HOME/prefect), creates the work pools and the `gpu` concurrency limit, deploys prefect.yaml,
starts a worker on adcraft-process (and adcraft-gpu when asked), starts the review app when it has users,
prints the URLs, and stops it all on Ctrl-C. Logs go to $ADCRAFT_HOME/serve/."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from adcraft.kernel.settings import PROJECT_DIR, get_settings

DEFAULT_PORT = 4200
DEFAULT_API_URL = f"http://127.0.0.1:{DEFAULT_PORT}/api"


def api_reachable(api_url: str, timeout: float = 2.0) -> bool:
    import httpx

    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def ui_url(api_url: str) -> str:
    return api_url.rstrip("/").removesuffix("/api")


def stack_env(api_url: str) -> dict[str, str]:
    """What the server, the worker and the flow runs it starts need: all paths absolute, as the runs
    work in the project folder (prefect.yaml's pull step) and ADCRAFT_HOME may be relative."""
    home = get_settings().home.resolve()
    env = {
        **os.environ,
        "ADCRAFT_HOME": str(home),
        "ADCRAFT_PROJECT_DIR": str(PROJECT_DIR),
        "PREFECT_HOME": str(Path(os.environ.get("PREFECT_HOME", home / "prefect")).resolve()),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # Stage logs ("[campaign/batch] stage: ...") are INFO: show them in the UI.
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "INFO"),
    }
    Path(env["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    return env


class Stack:
    """Child processes, each in its own session so Ctrl-C reaches only us; we stop them in order."""

    def __init__(self, env: dict[str, str], log_dir: Path, echo=typer.echo):
        self.env, self.log_dir, self.echo = env, log_dir, echo
        self.processes: list[tuple[str, subprocess.Popen]] = []
        log_dir.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")
        proc = subprocess.Popen(args, env=self.env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append((name, proc))
        return proc

    def check(self) -> None:
        for name, proc in self.processes:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} stopped (exit {proc.returncode}); see {self.log_dir / name}.log\n"
                                   + self.tail(name))

    def tail(self, name: str, lines: int = 15) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self, grace_s: float = 20) -> None:
        """SIGINT to each process group, newest first; SIGKILL whatever is left after the grace period."""
        for name, proc in reversed(self.processes):
            if proc.poll() is None:
                self.echo(f"stopping {name} (pid {proc.pid})")
                os.killpg(proc.pid, signal.SIGINT)
                try:
                    proc.wait(grace_s)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        self.processes.clear()


def wait_for(what: str, ready, stack: Stack, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        stack.check()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {timeout_s:.0f} s; see the logs in {stack.log_dir}")
        time.sleep(0.5)


def worker_online(pool: str, name: str) -> bool:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return any(w.name == name for w in client.read_workers_for_work_pool(pool))


def review_app_answers(url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{url.rstrip('/')}/login", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def start_stack(stack: Stack, port: int, gpu_worker: bool, review: bool) -> dict[str, str]:
    """Start everything and return the URLs; raises RuntimeError with the failing part's log."""
    from adcraft.operations import deployments

    api = stack.env["PREFECT_API_URL"]
    if api_reachable(api):
        raise RuntimeError(f"Something already answers at {api}: stop it, or pick another --port.")
    stack.echo(f"starting the Prefect server on port {port} (state in {stack.env['PREFECT_HOME']}) ...")
    stack.start("server", [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                           "--port", str(port)])
    wait_for("Prefect server", lambda: api_reachable(api), stack, timeout_s=240)
    stack.echo("work pools and concurrency limits:")
    deployments.ensure_pools_and_limits(log=stack.echo)
    stack.echo("deployments (prefect.yaml):")
    deployments.apply_project(log=stack.echo)
    demo_exports = get_settings().landing_dir / "demo"
    if not demo_exports.exists():  # so that demo-nightly has a shop to read on a fresh clone
        from adcraft.sources.demo_shop import generate_demo_shop

        generate_demo_shop(demo_exports, scale=1.0, seed=get_settings().seed)
        stack.echo(f"demo shop: wrote its exports to {demo_exports} for the demo-nightly deployment")
    pools = [deployments.PROCESS_POOL] + ([deployments.GPU_POOL] if gpu_worker else [])
    for pool in pools:
        stack.start(f"worker-{pool}", [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool,
                                       "--type", "process", "--name", f"{pool}-local"])
    for pool in pools:
        wait_for(f"worker on {pool}", lambda pool=pool: worker_online(pool, f"{pool}-local"), stack, timeout_s=120)
    urls = {"Prefect UI": ui_url(api), "Prefect API": api, "deployments": f"{ui_url(api)}/deployments",
            "work pools": f"{ui_url(api)}/work-pools", "concurrency limits": f"{ui_url(api)}/concurrency-limits"}
    settings = get_settings()
    if review and not settings.review_users_path.exists():
        stack.echo(f"review app: not started, there are no users at {settings.review_users_path}. Copy "
                   "config/reviewers.example.yaml there (demo users) or run `adcraft review add-user`, then "
                   "`adcraft review`.")
    elif review:
        stack.start("review", [sys.executable, "-m", "adcraft.cli.main", "review"])
        wait_for("review app", lambda: review_app_answers(settings.review_url), stack, timeout_s=120)
        urls["review app"] = settings.review_url
    return urls


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(
    port: Annotated[int, typer.Option(help="Prefect server port; the UI is at http://127.0.0.1:PORT.")] = DEFAULT_PORT,
    gpu_worker: Annotated[bool, typer.Option(help="Also start a worker on adcraft-gpu (training flows).")] = False,
    review: Annotated[
        bool, typer.Option(help="Start the review app (`adcraft review`); it needs a users file.")
    ] = True,
):
    """Start the local stack: Prefect server and UI, work pools, deployments, a worker, the review app.

    Creates the work pools and the `gpu` concurrency limit, deploys prefect.yaml, prints the URLs, and
    stops everything on Ctrl-C. State lives in $ADCRAFT_HOME/prefect, logs in $ADCRAFT_HOME/serve."""
    api = f"http://127.0.0.1:{port}/api"
    env = stack_env(api)
    os.environ.update({k: env[k] for k in ("PREFECT_API_URL", "PREFECT_HOME", "ADCRAFT_PROJECT_DIR")})
    stack = Stack(env, get_settings().home.resolve() / "serve")
    # SIGTERM (kill, a service manager) stops as cleanly as Ctrl-C does; SIGINT is set too, as a shell
    # starting us in the background (`make serve &`) leaves it ignored.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    try:
        urls = start_stack(stack, port, gpu_worker, review)
        width = max(map(len, urls))
        typer.echo("\nadcraft is being served:\n" + "\n".join(f"  {k:<{width}}  {v}" for k, v in urls.items()))
        typer.echo(f"\n  logs: {stack.log_dir}/*.log\n  try:  PREFECT_API_URL={api} adcraft campaign run-now demo"
                   "\nReady. Ctrl-C stops everything.")
        while True:
            stack.check()
            time.sleep(1)
    except KeyboardInterrupt:
        typer.echo("\nstopping (Ctrl-C or SIGTERM)")
    except RuntimeError as exc:
        typer.echo(f"adcraft serve failed: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        stack.stop()
    typer.echo("stopped")
