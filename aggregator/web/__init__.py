"""The web archive (``aggregator serve``): the read side of the product over the same store.

Public surface::

    create_app(store, settings, *, clock=aggregator.clock.now) -> FastAPI
    create_app_for_url(url, settings=None, *, clock=…, upgrade=True) -> FastAPI
    app_from_environment() -> FastAPI      (what each `serve` worker runs)

Modules: ``app`` (assembly, health, metrics route, errors), ``pages`` (HTML), ``api`` (JSON
under /api/v1) and ``schemas`` (its response models), ``feeds`` (Atom), ``metrics``
(Prometheus), ``security`` (the outer middleware), ``serve`` (uvicorn), ``views`` (what pages
and API show), ``site`` (state and links), ``params`` (query parameters).
"""

from aggregator.web.app import app_from_environment, create_app, create_app_for_url

__all__ = ["app_from_environment", "create_app", "create_app_for_url"]
