"""The errors adcraft explains. Each message says what went wrong and what to do next, so the CLI prints it
once, as "Error: ...", without a traceback (adcraft/cli/main.py)."""


class ConfigError(ValueError):
    """A campaign, brand or source YAML file is wrong; the message names the file and the field."""


class WarehouseLockedError(RuntimeError):
    """Another process held DuckDB's write lock for longer than ADCRAFT_LOCK_TIMEOUT_S."""


class UnknownBatchError(LookupError):
    """A batch id the warehouse holds no batch for; the message says how to list them."""


class MappingError(ValueError):
    """The export does not fit the source's mapping; the message says where and how to fix it."""


class SourceUnreachableError(ConnectionError):
    """A database source did not answer. A ConnectionError, so the ingest task retries it."""


class NoBriefsError(LookupError):
    """A campaign's product rule found nothing to write about; the message names the rule and what to check."""


class ModelMissingError(RuntimeError):
    """The text model's files or package are not where the settings say; the message says what to do."""


class CriticalDataError(RuntimeError):
    """Bad data that must not reach generation; the message names the files, rules and what to do."""


class TransformCheckError(RuntimeError):
    """A SQL model failed one of its checks (warehouse/models.yaml): its key is not unique, or not set."""


class TrainingDataError(ValueError):
    """The warehouse has nothing to learn from, or nothing to evaluate on; the message says what to do."""


class ReviewGateError(RuntimeError):
    """A batch's review gate cannot be answered as asked (none is waiting, or its window closed)."""


class TextEndpointError(RuntimeError):
    """The text endpoint (ADCRAFT_TEXT_ENDPOINT) refused a request, serves no such model, or sent a reply that is
    no chat completion; the message quotes the server and says what to change."""


class TextEndpointUnreachable(ConnectionError):
    """The text endpoint did not answer (refused, timed out, 429 or 5xx) through every retry. Replies received
    before are kept, so re-running sends only the rest."""


class PublishError(RuntimeError):
    """A destination did not take everything; what it did take is in the ledger, so publishing again is safe."""


EXPLAINED = (ConfigError, MappingError, CriticalDataError, WarehouseLockedError, SourceUnreachableError,
             UnknownBatchError, TransformCheckError, FileNotFoundError, TextEndpointError, TextEndpointUnreachable,
             NoBriefsError, ModelMissingError)
"""Expected stops: the CLI prints their message, not a traceback (the log file keeps it; `--verbose` prints it)."""
