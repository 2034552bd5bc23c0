"""alteram.web."""
