"""alteram.store."""
