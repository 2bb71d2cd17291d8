"""`adcraft publish`: publish a batch on its own, and answer a batch's review gate."""

import json
from typing import Annotated

import typer

app = typer.Typer(help="Publish batches, and resume runs waiting at a review gate.", no_args_is_help=True)

BatchArg = Annotated[str, typer.Argument(help="Batch id, e.g. demo-20261123 (list them with `adcraft report`).")]


@app.command()
def batch(batch_id: BatchArg):
    """Deliver a batch's approved items to its campaign's destinations. Re-running sends only what is missing."""
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()
    from adcraft.cli.main import explained_errors
    from flows.publish import publish

    with explained_errors():
        typer.echo(json.dumps(publish(batch_id), indent=2))


@app.command()
def resume(
    batch_id: BatchArg,
    decision: Annotated[str, typer.Option(help="publish: deliver the approved items; hold: nothing.")] = "publish",
    reviewer: Annotated[str, typer.Option(help="Who reviewed the batch, for the record.")] = "",
):
    """Resume the nightly run waiting at a batch's review gate, as the review app does once a batch is reviewed."""
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()
    from adcraft.kernel.errors import ReviewGateError
    from adcraft.publishing.review_gate import resume_review

    if decision not in ("publish", "hold"):
        raise typer.BadParameter(f"{decision!r}: choose publish or hold")
    try:
        run_id = resume_review(batch_id, decision, reviewer or None)
    except ReviewGateError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"Resumed run {run_id} of {batch_id}: {decision}.")
