"""``python -m alteram``: the same as the ``alteram`` command."""

from alteram.cli.main import run

if __name__ == "__main__":
    run()
