"""The `adcraft` command (main.py), one module per command group."""
