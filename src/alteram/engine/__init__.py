"""alteram.engine."""
