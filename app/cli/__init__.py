"""The `mutolaa` command line, one module a command group (main.py puts them together)."""

from app.cli.main import main as main
