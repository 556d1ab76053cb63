"""Speed benchmarks against the targets of TARGETS.md (run: python -m tests.benchmarks.run)."""
