"""`python -m app` runs Mutolaa."""

import sys

from app.cli import main

sys.exit(main())
