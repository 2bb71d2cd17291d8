"""Running adcraft on Prefect: stage timing, retries and re-run notes, progress, task runners, the Prefect
environment, deployments, and `adcraft serve`."""
