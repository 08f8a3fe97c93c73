"""``python -m crosspost.cli``: the console script without installing it."""

import sys

from crosspost.cli.main import main

sys.exit(main())
