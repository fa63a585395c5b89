"""Test helpers shared across the suite (the loopback HTTP server)."""
