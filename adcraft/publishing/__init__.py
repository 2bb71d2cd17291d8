"""Publishing a batch: one module per destination, and the ledger that makes each delivery happen once.

tasks/publish.py picks the modules a campaign's `destinations` name; docs/publishing.md describes them.
"""


class PublishError(RuntimeError):
    """A destination did not take everything; what it did take is in the ledger, so publishing again is safe."""
