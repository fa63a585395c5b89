"""Fault injection: each test breaks one thing on a real component and checks what is kept.

docs/reliability.md lists every case in one table (case, what the user sees, what is kept,
exit code); a test here carries the ``fault`` marker so ``pytest -m fault`` runs them all.
"""
