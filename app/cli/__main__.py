"""`python -m app.cli`: the command line (and, without a command, the window)."""

import sys

from app.cli import main

sys.exit(main())
