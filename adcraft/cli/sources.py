"""`adcraft sources ...`: look at sources (sources/*.yaml) and check a mapping before loading anything."""

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Data sources declared in sources/*.yaml.", no_args_is_help=True)
SHOWN_PROBLEMS = 50


@app.command("list")
def list_sources():
    """List the declared sources and their entities."""
    from adcraft.sources.spec import SOURCES_DIR, load_source

    for path in sorted(SOURCES_DIR.glob("*.yaml")):
        source = load_source(path)
        typer.echo(f"{source.name}\t{', '.join(source.entities)}\t{source.description}")


@app.command()
def check(source: Annotated[str, typer.Argument(help="Source name (sources/<name>.yaml), YAML path or folder.")]):
    """Preview the mapping on the source's files and tables, and its joins, and report every problem (with the
    keys a join found nothing for), without loading anything."""
    raise typer.Exit(_check(source))


def _check(source: str) -> int:
    """Print the check of a source; its exit code: 0 loads, 1 would stop the run, 2 cannot be read."""
    from adcraft.kernel.errors import ConfigError, MappingError
    from adcraft.sources.check import check_source

    try:
        checks = check_source(source)
    except (ConfigError, MappingError, FileNotFoundError) as exc:
        typer.echo(str(exc), err=True)
        return 2
    for c in checks:
        typer.echo(f"\n{c.entity}: {c.label} ({c.rows:,} rows)")
        for error in c.errors:
            typer.echo(f"  ERROR {error}")
        for failed in c.failed_rules:
            typer.echo(f"  STOPS THE RUN: {failed}")
        for line in c.joins:
            typer.echo(f"  JOIN {line}")
        for row in c.preview:
            typer.echo("  preview " + ", ".join(f"{k}={v!r}" for k, v in row.items()))
        for severity, reason in c.problems[:SHOWN_PROBLEMS]:
            typer.echo(f"  {severity.upper()} {reason}")
        if len(c.problems) > SHOWN_PROBLEMS:
            typer.echo(f"  ... and {len(c.problems) - SHOWN_PROBLEMS} more")
        if not c.errors and not c.problems:
            typer.echo("  OK: every row passes every rule")
    failed = [c.label for c in checks if c.stops_run]
    rows, problems = sum(c.held_rows for c in checks), sum(len(c.problems) for c in checks)
    typer.echo(f"\n{len(checks)} export(s) checked: {rows} row(s) would be quarantined ({problems} problem(s)); "
               f"{len(failed)} export(s) would stop the run.")
    return 1 if failed else 0


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="A folder of exports (CSV, TSV, JSON, Parquet, .xlsx).",
                                           exists=True, file_okay=False)],
    name: Annotated[str, typer.Option(help="The source's name; defaults to the folder's.")] = "",
    output: Annotated[Path | None, typer.Option(
        help="Where to write the YAML; defaults to sources/<name>.yaml.", dir_okay=False)] = None,
    force: Annotated[bool, typer.Option(help="Replace the YAML if it exists.")] = False,
):
    """Write a first source YAML guessed from a folder of exports: which file is which entity, each column's
    mapping, joins to an orders or categories file, cents and date formats, each guess marked in a comment.
    Then run `sources check` on it, and list what to edit."""
    import re

    from adcraft.sources.guess import guess_source
    from adcraft.sources.spec import SOURCES_DIR

    named = folder.resolve()
    if named.name.lower() in ("exports", "export", "data", "landing", "files", "csv"):
        named = named.parent  # docs/examples/harbor_goods/exports is harbor_goods
    name = name or re.sub(r"[^a-z0-9_-]+", "_", named.name.lower()).strip("_-") or "shop"
    output = output or SOURCES_DIR / f"{name}.yaml"
    if output.exists() and not force:
        typer.echo(f"Error: {output} exists; give another --output, or --force to replace it.", err=True)
        raise typer.Exit(2)
    guess = guess_source(folder, name, output.parent)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(guess.yaml) + "\n")
    typer.echo(f"Wrote {output}. Checking it:")
    code = _check(str(output))
    typer.echo(f"\nGuessed ({len(guess.guesses)}), marked GUESS in {output}: check each.")
    for line in guess.guesses:
        typer.echo(f"  - {line}")
    if guess.edits:
        typer.echo(f"To edit before loading ({len(guess.edits)}), marked EDIT:")
        for line in guess.edits:
            typer.echo(f"  - {line}")
    typer.echo(f"Then check it again: adcraft sources check {output}")
    raise typer.Exit(code)
