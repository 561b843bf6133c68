#!/usr/bin/env python3
"""Writes public/demo/campaign.csv: a made-up campaign over the demo's customers, for the
Campaigns page's one-click demo. Standard library only; seeded, so the file is reproducible.

The outcomes are planted on each customer's history in public/demo/transactions.csv (before
2025-01-01, the day after its last date), so the segment breakdown and the models have something
to find:
- control converts at about 10-18 % for recent customers and 2 % for lapsed ones (no purchase in
  the last 180 days), times an engagement of the customer's own shared by both periods;
- "email" adds about +4 points for everyone;
- "coupon" adds about +1 point for recent customers and +20 points for lapsed ones (win-back);
- revenue per converter ~ 40 + 25 % of the customer's average order value, with noise; the
  pre-period revenue (revenue_pre) is drawn from the same average, so CUPED narrows the intervals.
Groups are split 1/3 each at random. Customers with no purchase at all are left out.
"""
import csv
import datetime
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CUT = datetime.date(2025, 1, 1)
rng = random.Random(20261206)

orders = {}
for row in csv.DictReader(open(ROOT / "public/demo/transactions.csv", newline="", encoding="utf-8")):
    key = (row["customer_id"], row["order_id"])
    day = datetime.date.fromisoformat(row["date"])
    total, first = orders.get(key, (0.0, day))
    orders[key] = (total + float(row["amount"]), min(first, day))
history = {}
for (customer, _), (total, day) in orders.items():
    if total <= 0:
        continue
    n, spend, last = history.get(customer, (0, 0.0, day))
    history[customer] = (n + 1, spend + total, max(last, day))

rows = []
for customer in sorted(history, key=int):
    n, spend, last = history[customer]
    lapsed = (CUT - last).days > 180
    aov = spend / n
    # An engagement of its own (shared by both periods, so the pre-period predicts the outcome).
    engagement = min(2.5, max(0.3, rng.lognormvariate(0.0, 0.6)))
    base = engagement * ((0.02 if lapsed else 0.10) + 0.01 * min(n, 8))
    group = rng.choice(["control", "email", "coupon"])
    lift = {"control": 0.0, "email": 0.04, "coupon": 0.20 if lapsed else 0.01}[group]
    converted = 1 if rng.random() < base + lift else 0
    spend = 20 + 20 * engagement + 0.25 * aov
    revenue = round(max(0.0, spend + rng.gauss(0, 10)), 2) if converted else 0.0
    pre_converted = rng.random() < min(0.95, 2.5 * base)
    revenue_pre = round(max(0.0, spend + rng.gauss(0, 10)), 2) if pre_converted else 0.0
    rows.append((customer, group, converted, revenue, revenue_pre))

with open(ROOT / "public/demo/campaign.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["customer_id", "group", "converted", "revenue", "revenue_pre"])
    w.writerows(rows)
print(f"wrote {len(rows)} rows")
