"""``python -m zzperf``."""

import sys

from zzperf.cli import main

sys.exit(main())
