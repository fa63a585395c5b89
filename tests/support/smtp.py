"""A real SMTP relay for tests: aiosmtpd on 127.0.0.1, port 0, scripted per test."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: bytes | None


@dataclass
class Relay:
    """The server's behaviour, scripted per test, and what it received."""

    received: list[Received] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)  # next RCPT replies, then accept
    data_replies: list[str] = field(default_factory=list)  # next DATA replies, then accept
    drops_at_data: int = 0  # close the connection after the body, this many times
    drops_at_rcpt: int = 0  # close the connection at RCPT (before any body), this many times
    # seconds to wait before answering the final "." (the message is received and recorded
    # first): a relay that stalls after DATA
    data_delay: float = 0.0
    rcpts: int = 0  # RCPT commands seen, refused ones included

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        self.rcpts += 1
        if self.drops_at_rcpt > 0:
            self.drops_at_rcpt -= 1
            server.transport.close()
            return "421 4.3.0 going away"
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drops_at_data > 0:
            self.drops_at_data -= 1
            server.transport.close()
            return "421 4.3.0 going away"
        if self.data_replies:
            return self.data_replies.pop(0)
        login = session.auth_data.login if session.authenticated else None
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, login)
        )
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return "250 2.0.0 queued"


class LoopbackController(Controller):
    """aiosmtpd's Controller bound to 127.0.0.1 port 0 (the stock one needs a fixed port)."""

    def __init__(self, handler: Relay, **kwargs: Any) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        async def create() -> asyncio.AbstractServer:
            server = await self.loop.create_server(
                self._factory_invoker, host=self.hostname, port=0, ssl=self.ssl_context
            )
            # the port is known only now; start() connects to it to check the server is up
            self.port = server.sockets[0].getsockname()[1]
            return server

        return create()


@contextmanager
def running(relay: Relay, **kwargs: Any) -> Iterator[LoopbackController]:
    """A started controller for ``relay``, stopped on exit."""
    controller = LoopbackController(relay, **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
