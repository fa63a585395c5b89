"""``python -m aggregator.daemon --config F --db URL [--json-logs]``: the daemon without click."""

import os
import sys

from aggregator.daemon.run import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
# abandoned worker threads (grace period over) must not hold the exit: they are safe to drop
os._exit(code)
