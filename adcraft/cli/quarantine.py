"""`adcraft quarantine ...`: inspect rows validation held back, and release them after a fix or a look."""

from typing import Annotated

import typer

app = typer.Typer(help="Rows held back by validation (quarantine.rows).", no_args_is_help=True)
Entity = Annotated[str, typer.Option(help="products, customers or order_lines.")]
Load = Annotated[str, typer.Option(help="Load id, e.g. products-92404f8cc578 (see the validation report).")]
Rule = Annotated[str, typer.Option(help="Rule name, e.g. price_positive.")]
Rows = Annotated[list[int], typer.Option("--row", help="Row number in the file; repeat for several.")]


@app.command("list")
def list_rows(entity: Entity = "", load: Load = "", rule: Rule = "", row: Rows = (),
              released: Annotated[bool, typer.Option(help="Include released rows.")] = False,
              limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50):
    """List held rows with their rule, column and reason."""
    from adcraft.kernel.db import warehouse
    from adcraft.sources.quarantine import list_rows as query

    with warehouse() as con:
        rows = query(con, entity, load, rule, row, released, limit)
    for r in rows:
        mark = " (released)" if r["released"] else ""
        typer.echo(f"{r['entity']}\t{r['_load_id']}\trow {r['_row_number']}\t{r['rule']}\t{r['severity']}{mark}\t"
                   f"{r['reason']}")
    typer.echo(f"{len(rows)} row(s) shown.", err=True)


@app.command()
def release(note: Annotated[str, typer.Option(help="Why these rows may be used, for the record.")],
            entity: Entity = "", load: Load = "", rule: Rule = "", row: Rows = ()):
    """Re-admit held rows: the next transform stages them, and a critical rule whose rows are all released
    no longer stops the run."""
    from adcraft.kernel.db import warehouse
    from adcraft.sources.quarantine import release as do_release

    try:
        with warehouse() as con:
            count = do_release(con, note, entity, load, rule, row)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"Released {count} row(s). They reach staging on the next run (`adcraft run` or `adcraft ingest`).")
