"""alteram.interop."""
