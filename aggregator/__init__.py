"""aggregator: follows what governments and international bodies say.

Fetch feeds, extract statements (who said what, for which side), group copies and events, and
render a side-by-side daily digest.
"""

__version__ = "0.1.0"
