"""alteram.service."""
