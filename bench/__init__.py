"""OnRecord's benchmarks: `.venv/bin/python bench/run.py` runs them all (docs/performance.md)."""
