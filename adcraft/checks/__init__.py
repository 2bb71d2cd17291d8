"""The gate: every check a line or banner must pass, one module per check family, all named check_<name>;
gate.py runs them over a batch. docs/architecture.md says how to add one."""
