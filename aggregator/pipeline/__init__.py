"""The orchestration between the network, the store and the pure stages; no stage's logic lives
here, only the moving of values between them:

    poll        one polling pass: claim -> fetch -> parse -> save (one transaction a source)
      parse_pool    feed parsing in worker processes, for big passes
      writer        the pass's store writer thread
    process     extraction and grouping of whatever is pending in the store
    deliver     the digest job: store -> digest -> files -> ledger -> mail
    leases      owner ids, renewing what a live process holds, proof that a holder is gone
    status      ``aggregator status``: the sources table, and the same as JSON

Callers (the CLI, the daemon, the backfill, the demo) import the module they need. This file
imports nothing: a parse worker that unpickles a job from :mod:`.parse_pool` then loads only
that module, not the store and the digest.
"""
