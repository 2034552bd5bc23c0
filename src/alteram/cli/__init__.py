"""alteram.cli."""
