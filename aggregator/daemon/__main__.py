"""``python -m aggregator.daemon --config F --db URL [--json-logs]``: the daemon without click."""

from aggregator.daemon.run import exit_process, main

exit_process(main())
