"""digest stage."""
