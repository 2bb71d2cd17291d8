"""Publishing a batch: one module per destination, and the ledger that makes each delivery happen once.

adcraft/publishing/run.py picks the modules a campaign's `destinations` name; docs/publishing.md describes them.
"""
