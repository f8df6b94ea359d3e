"""Run the command line with `python -m schemagate`."""

from schemagate.cli import run

if __name__ == "__main__":
    run()
