"""``python -m sop_manual``: the ``sop`` command."""

import sys

from .cli import main

sys.exit(main())
