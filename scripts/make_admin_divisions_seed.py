"""Regenerate seeds/admin_divisions.csv from the areacodes reference file.

Source: yescallop/areacodes result.csv (CC0 1.0), commit
eed219a0678d36bacaa717f62443b10e869f0291. Usage:

    python scripts/make_admin_divisions_seed.py ../shared/reference/areacodes/result.csv

The copy keeps every row (abolished codes too: a filing's fiscal year picks the
code in use that year) and renames the columns to English.
"""

import csv
import sys
from pathlib import Path

LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
STATUS = {"在用": "in_use", "弃用": "abolished", "变更": "changed"}


def main(src: str, dst: str = "seeds/admin_divisions.csv") -> None:
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    with open(dst, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["admin_code", "province", "prefecture", "admin_name", "admin_level", "status", "valid_from_year", "valid_to_year", "new_codes"])
        for r in rows:
            prefecture = r["二级行政区"]
            w.writerow([
                r["代码"], r["一级行政区"], "" if prefecture == "直辖" else prefecture, r["名称"],
                LEVELS[r["级别"]], STATUS.get(r["状态"], r["状态"]), r["启用时间"], r["变更/弃用时间"], r["新代码"],
            ])
    print(f"wrote {len(rows)} rows to {dst}")


if __name__ == "__main__":
    main(*sys.argv[1:])
