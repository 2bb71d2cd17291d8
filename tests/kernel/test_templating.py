from adcraft.kernel.templating import render

HOSTILE = "<img src=x onerror=alert(1)> | `code` [link](javascript:alert(1))"


def test_the_run_summary_keeps_untrusted_text_inert_and_in_its_cell():
    markdown = render(
        "reports/run_summary.md.j2", batch_id="demo-20261123", approval_rate=0.5, review_url="http://r/batches/x",
        report_url="file:///r.html", report="/r.html", stages={"generate": {"rows": 3, "seconds": 1.0}},
        decisions={"copy": {"approved": 1}},
        top_rejections=[{"check": "grounding", "decision": "rejected", "item_count": 2, "example": HOSTILE}],
    )
    row = next(line for line in markdown.splitlines() if line.startswith("| grounding"))
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in row
    assert row.count("|") == 5 and "[link](" not in row and "`" not in row
