#!/usr/bin/env python3
"""Peer of `segscope clv`: the same work with lifetimes 0.11.3, CSV in, CLV per customer out.

Reads the transactions CSV with pandas, builds the per-customer summary with
lifetimes.utils.summary_data_from_transaction_data (days, purchases on one day merged, monetary value
= mean repeat spend), fits BetaGeoFitter and GammaGammaFitter (penalizer 0; Gamma-Gamma on the repeat
customers with a positive spend), computes customer_lifetime_value (12 months, 1 % a month, freq 'D')
for every customer and writes customer_id,clv to --out. Prints one JSON line of timings.

    PY=/tmp/bench-venv/bin/python   # lifetimes 0.11.3 (/work/shared/bench/requirements.txt)
    $PY scripts/peers/lifetimes_clv.py /tmp/s16/tx_1m.csv --calibration-end 2024-12-30 --out /tmp/lt_clv.csv

The equivalent SegScope command: segscope clv FILE --calibration-end DAY --out SCORES.csv
(BG/NBD + Gamma-Gamma, CLV over 12 months at 1 % a month).
"""
import argparse
import json
import time

t_start = time.perf_counter()

import pandas as pd  # noqa: E402

import lifetimes  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.utils import summary_data_from_transaction_data  # noqa: E402

t_imported = time.perf_counter()

ap = argparse.ArgumentParser()
ap.add_argument("csv", help="transactions CSV with customer_id,date,amount columns")
ap.add_argument("--calibration-end", required=True, help="observation_period_end, YYYY-MM-DD")
ap.add_argument("--out", required=True, help="CSV of customer_id,clv")
ap.add_argument("--months", type=int, default=12)
ap.add_argument("--discount-monthly", type=float, default=0.01)
args = ap.parse_args()

df = pd.read_csv(args.csv, usecols=["customer_id", "date", "amount"])
t_read = time.perf_counter()
summary = summary_data_from_transaction_data(
    df,
    "customer_id",
    "date",
    monetary_value_col="amount",
    observation_period_end=args.calibration_end,
    freq="D",
)
t_summary = time.perf_counter()
bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(summary["frequency"], summary["recency"], summary["T"])
t_bgnbd = time.perf_counter()
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGammaFitter(penalizer_coef=0.0)
ggf.fit(repeat["frequency"], repeat["monetary_value"])
t_gg = time.perf_counter()
clv = ggf.customer_lifetime_value(
    bgf,
    summary["frequency"],
    summary["recency"],
    summary["T"],
    summary["monetary_value"],
    time=args.months,
    discount_rate=args.discount_monthly,
    freq="D",
)
t_clv = time.perf_counter()
clv.to_frame("clv").to_csv(args.out, index_label="customer_id")
t_out = time.perf_counter()

print(
    json.dumps(
        {
            "tool": "lifetimes",
            "version": lifetimes.__version__,
            "rows": len(df),
            "customers": len(summary),
            "repeat_customers": len(repeat),
            "import_s": round(t_imported - t_start, 3),
            "read_s": round(t_read - t_imported, 3),
            "summary_s": round(t_summary - t_read, 3),
            "bgnbd_fit_s": round(t_bgnbd - t_summary, 3),
            "gg_fit_s": round(t_gg - t_bgnbd, 3),
            "clv_s": round(t_clv - t_gg, 3),
            "write_s": round(t_out - t_clv, 3),
            "total_s": round(t_out - t_start, 3),
            "bgnbd": {k: round(float(v), 4) for k, v in bgf.params_.items()},
            "gamma_gamma": {k: round(float(v), 4) for k, v in ggf.params_.items()},
            "total_clv": round(float(clv.sum()), 2),
        }
    )
)
