"""Synthetic corpora with known truth, and the throughput benchmark.

* ``python -m benchmarks.corpus --n N --out DIR [--seed S]``: N realistic filings in
  the layouts of the bundled samples, under ``DIR/filings/``, and what they say
  under ``DIR/truth/`` (Parquet): every budget fact, every target and the
  reconciliation failures injected on purpose.
* ``python -m benchmarks.run [--sizes 1000,10000] [--out BENCHMARKS.md]``: builds
  warehouses from such corpora and reports throughput, memory and query times.
"""
