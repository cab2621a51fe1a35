"""Benchmarks: each bench_<area>.py runs as `python -m bench.bench_<area>`; `make bench` runs them all."""
