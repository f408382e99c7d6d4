"""The dbt documentation site as one self-contained HTML file (``dbt docs generate --static``).

    build_docs(Path("warehouse.duckdb"), Path("target/docs"))  # → target/docs/static_index.html

dbt reads the warehouse to write the catalog (column types, table comments, row counts), so
the warehouse must exist. The output goes to ``out_dir`` (dbt's target path for this run),
never to the repository's ``target/``: building the docs does not disturb a build's
artifacts. ``static_index.html`` embeds the manifest and the catalog: open it from disk, no
server needed.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["build_docs"]


def build_docs(warehouse: Path, out_dir: Path) -> Path:
    from medwh.build import run_dbt

    warehouse = Path(warehouse).resolve()
    out_dir = Path(out_dir).resolve()
    if not warehouse.exists():
        raise FileNotFoundError(
            f"no warehouse at {warehouse}: run `make warehouse` (or `medwh build --warehouse {warehouse}`) first"
        )
    if warehouse.is_dir():
        raise FileNotFoundError(f"{warehouse} is a folder, not a warehouse file: pass --warehouse <file.duckdb>")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "static_index.html"
    if out.exists():
        out.unlink()  # never hand back a previous run's page
    run = run_dbt(["docs", "generate", "--static"], warehouse, quiet=True, target_path=out_dir)
    if not run.success or not out.exists():
        raise RuntimeError(
            f"dbt docs generate failed (exit {run.returncode}); see {out_dir / 'logs' / 'dbt.log'}"
            + (
                " — is the warehouse open for writing in another process?"
                if run.returncode != 0
                else ""
            )
        )
    return out
