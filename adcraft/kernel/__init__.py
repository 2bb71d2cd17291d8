"""What every other package stands on: the typed settings, DuckDB connections and SQL files, the Jinja2
environment, the campaign and brand YAML, the channels' specs, and the errors the CLI explains. It imports
nothing else of adcraft's."""
