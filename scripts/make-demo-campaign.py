#!/usr/bin/env python3
"""Writes public/demo/campaign.csv: a made-up campaign over the demo's customers, for the
Campaigns page's one-click demo. Standard library only; seeded, so the file is reproducible.

Planted truth (for the eye, not for tests): control converts at 8 %, "email" at 10 %, "coupon"
at 13 %; revenue per converter ~ 60 (lognormal), correlated with the pre-period revenue, so CUPED
visibly narrows the intervals. Groups are split 1/3 each at random.
"""
import csv
import math
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
rng = random.Random(20261206)
ids = []
with open(ROOT / "public/demo/customers.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        ids.append(row["customer_id"])

rates = {"control": 0.08, "email": 0.10, "coupon": 0.13}
rows = []
for cid in ids:
    group = rng.choice(list(rates))
    # A customer's propensity: pre-period spend drives both periods.
    taste = rng.lognormvariate(0.0, 0.8)
    pre = round(taste * 40 * (rng.random() < 0.35), 2)
    p = min(0.95, rates[group] * (0.6 + 0.4 * taste))
    converted = 1 if rng.random() < p else 0
    revenue = round(converted * (20 + 25 * taste + rng.gauss(0, 8)), 2) if converted else 0.0
    revenue = max(0.0, revenue) + round(0.6 * pre * (rng.random() < 0.3), 2)
    converted = 1 if revenue > 0 else 0
    rows.append((cid, group, converted, round(revenue, 2), pre))

with open(ROOT / "public/demo/campaign.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["customer_id", "group", "converted", "revenue", "revenue_pre"])
    w.writerows(rows)
print(f"wrote {len(rows)} rows")
