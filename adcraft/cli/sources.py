"""`adcraft sources ...`: look at sources (sources/*.yaml) and check a mapping before loading anything."""

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
    """Preview the mapping on the source's files and tables and report every problem, without loading anything."""
    from adcraft.kernel.errors import ConfigError, MappingError
    from adcraft.sources.check import check_source

    try:
        checks = check_source(source)
    except (ConfigError, MappingError, FileNotFoundError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
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
    raise typer.Exit(1 if failed else 0)
