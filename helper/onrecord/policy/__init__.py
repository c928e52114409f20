"""The policy engine: pure, imports nothing from server, store or ui."""
