"""The table printed at the end of a run: counts and wall time per stage, outcome, and where things are."""

from rich.console import Console
from rich.table import Table

from adcraft.kernel.settings import Settings


def print_summary(summary: dict, settings: Settings, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"Batch {summary['batch_id']}")
    table.add_column("stage")
    table.add_column("rows out", justify="right")
    table.add_column("seconds", justify="right")
    for name, stage in summary["stages"].items():
        table.add_row(name, f"{stage.get('rows', 0):,}", f"{stage['seconds']:.1f}")
    table.add_row("total", "", f"{sum(s['seconds'] for s in summary['stages'].values()):.1f}", style="bold")
    console.print(table)
    for kind, counts in summary["decisions"].items():
        console.print(f"{kind}: "
                      + ", ".join(f"{counts.get(d, 0)} {d}" for d in ("approved", "needs_review", "rejected")))
    console.print(f"Approval rate (copy): {100 * summary['approval_rate']:.0f}%")
    console.print(f"Report:    {summary['report']}")
    console.print(f"Published: {settings.publish_dir / summary['batch_id']}")
    console.print(f"Warehouse: {settings.warehouse}")
