"""Alembic environment: runs on the connection the store hands over (see store/migrate.py)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from aggregator.store.schema import UTCDateTime, include_name, metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError(
        "aggregator's migrations run through aggregator.store (open_store or "
        "`aggregator db upgrade`), which supplies the connection"
    )


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write UTCDateTime as the plain type underneath, so scripts never import the package."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things: batch mode recreates the table instead
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
    # the search objects of 0006 live outside the metadata (schema.py says why)
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
