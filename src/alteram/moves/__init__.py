"""alteram.moves."""
