"""The fetch stage: feeds and article pages over HTTP(S) or from local files.

Public surface: :class:`Fetcher`, :class:`FetchRequest`, the pure schedule
(:func:`next_poll_state`, :class:`PollState`) and the address classifier used by the SSRF guard.
httpx is used only inside this package.
"""

from aggregator.fetch.guard import AddressPolicy, address_category
from aggregator.fetch.http import Fetcher, FetchRequest
from aggregator.fetch.schedule import PollState, backoff_delay, next_poll_state

__all__ = [
    "AddressPolicy",
    "FetchRequest",
    "Fetcher",
    "PollState",
    "address_category",
    "backoff_delay",
    "next_poll_state",
]
