//! The campaign's tests: each variant against control per metric (plain and CUPED), the
//! sample-ratio check, the p-value corrections, the segment breakdown and the ROI card.

use super::data::ExperimentData;
use super::params::{Correction, RoiParams};
use super::report::{
    Estimate, ExperimentReport, MetricInfo, MetricResult, RoiReport, RoiVariant, SegmentDimension,
    SegmentLabel, SegmentUplift, VariantSummary, SMALL_SEGMENT_USERS, SRM_THRESHOLD,
};
use super::stats::{
    compare, holm, pooled_theta, srm_p_value, Arm, Comparison, CupedMoments, Difference,
    MetricKind, Moments, TestSettings,
};
use super::{ExperimentError, ExperimentParams};

/// Segment names per customer of the transactions, for the breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentInput {
    /// Along what.
    pub dimension: SegmentDimension,
    /// The segments' names.
    pub labels: Vec<SegmentLabel>,
    /// Each transactions customer's segment (index into `labels`).
    pub of_customer: Vec<Option<u32>>,
}

/// Tests `data` with `params`. Fails on settings that do not fit the file (weights count).
pub fn analyze(
    data: &ExperimentData,
    params: &ExperimentParams,
    segments: &[SegmentInput],
) -> Result<ExperimentReport, ExperimentError> {
    params.check()?;
    let groups = data.groups.len();
    let weights: Vec<f64> = if params.weights.is_empty() {
        vec![1.0; groups]
    } else if params.weights.len() == groups {
        params.weights.clone()
    } else {
        return Err(ExperimentError::WeightsCount {
            weights: params.weights.len(),
            groups,
        });
    };
    let mut users = vec![0u64; groups];
    for g in &data.group_of {
        if let Some(slot) = users.get_mut(usize::from(*g)) {
            *slot += 1;
        }
    }
    let total = data.len().max(1) as f64;
    let weight_sum: f64 = weights.iter().sum();
    let variants: Vec<VariantSummary> = data
        .groups
        .iter()
        .zip(&users)
        .zip(&weights)
        .map(|((name, n), w)| VariantSummary {
            name: name.clone(),
            users: *n,
            observed_share: *n as f64 / total,
            intended_share: if weight_sum > 0.0 {
                w / weight_sum
            } else {
                0.0
            },
        })
        .collect();
    let srm = finite_or(srm_p_value(&users, &weights), 1.0);
    let settings = TestSettings {
        alpha: params.alpha,
        difference: params.difference,
        sequential_tuning: params.sequential_tuning,
    };

    let mut plain = Vec::new();
    let mut cuped = Vec::new();
    for metric in &data.metrics {
        let moments = arm_moments(&data.group_of, &metric.values, groups);
        for (g, variant) in data.groups.iter().enumerate().skip(1) {
            let (Some(c), Some(v)) = (moments.first(), moments.get(g)) else {
                continue;
            };
            let (control, treated) = (Arm::plain(c, metric.kind), Arm::plain(v, metric.kind));
            let relative = compare(&control, &treated, &settings);
            let absolute = compare(
                &control,
                &treated,
                &TestSettings {
                    difference: Difference::Absolute,
                    ..settings
                },
            );
            plain.push(result(
                &metric.name,
                variant,
                false,
                c,
                v,
                &relative,
                &absolute,
                None,
            ));
            let Some((_, pre_kind, pre)) = &metric.covariate else {
                continue;
            };
            let cm = cuped_moments(&data.group_of, &metric.values, pre, groups);
            let (Some(cc), Some(cv)) = (cm.first(), cm.get(g)) else {
                continue;
            };
            let theta = pooled_theta(cc, cv, metric.kind, *pre_kind);
            let (ca, va) = (
                Arm::cuped(cc, metric.kind, *pre_kind, theta),
                Arm::cuped(cv, metric.kind, *pre_kind, theta),
            );
            let adj = compare(&ca, &va, &settings);
            let adj_abs = compare(
                &ca,
                &va,
                &TestSettings {
                    difference: Difference::Absolute,
                    ..settings
                },
            );
            let reduction = if relative.std_error > 0.0 && adj.degenerate.is_none() {
                Some(1.0 - (adj.std_error / relative.std_error).powi(2))
            } else {
                None
            };
            let mut r = result(
                &metric.name,
                variant,
                true,
                &cc.post,
                &cv.post,
                &adj,
                &adj_abs,
                Some(theta),
            );
            r.variance_reduction = reduction.map(|x| finite_or(x, 0.0));
            cuped.push(r);
        }
    }
    correct(&mut plain, params.correction, params.alpha);
    correct(&mut cuped, params.correction, params.alpha);
    let segment_rows = data
        .metrics
        .first()
        .map(|m| segment_uplift(data, &m.values, m.kind, &settings, segments))
        .unwrap_or_default();
    let roi = params.roi.map(|roi| roi_card(data, &plain, &users, roi));
    let mut results = plain;
    results.extend(cuped);
    Ok(ExperimentReport {
        params: params.clone(),
        group_column: data.group_column.clone(),
        variants,
        srm_p_value: srm,
        srm_suspect: srm < SRM_THRESHOLD,
        metrics: data
            .metrics
            .iter()
            .map(|m| MetricInfo {
                name: m.name.clone(),
                kind: m.kind,
                covariate: m.covariate.as_ref().map(|(name, _, _)| name.clone()),
            })
            .collect(),
        results,
        segments: segment_rows,
        roi,
        contacts: data.contacts,
        models: None,
        warnings: data.warnings.clone(),
        customers: data.len() as u64,
        elapsed_ms: 0.0,
    })
}

/// A value, or `fallback` when it is not finite.
fn finite_or(v: f64, fallback: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        fallback
    }
}

/// Each group's moments of `values` (missing values left out).
fn arm_moments(group_of: &[u16], values: &[f64], groups: usize) -> Vec<Moments> {
    let mut out = vec![Moments::default(); groups];
    for (g, v) in group_of.iter().zip(values) {
        if let (false, Some(m)) = (v.is_nan(), out.get_mut(usize::from(*g))) {
            m.push(*v);
        }
    }
    out
}

/// Each group's moments of `post` with `pre` (customers missing either left out).
fn cuped_moments(group_of: &[u16], post: &[f64], pre: &[f64], groups: usize) -> Vec<CupedMoments> {
    let mut out = vec![CupedMoments::default(); groups];
    for ((g, y), x) in group_of.iter().zip(post).zip(pre) {
        if let (false, false, Some(m)) = (y.is_nan(), x.is_nan(), out.get_mut(usize::from(*g))) {
            m.push(*y, *x);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn result(
    metric: &str,
    variant: &str,
    cuped: bool,
    control: &Moments,
    treated: &Moments,
    c: &Comparison,
    absolute: &Comparison,
    theta: Option<f64>,
) -> MetricResult {
    let f = |v: f64| finite_or(v, 0.0);
    MetricResult {
        metric: metric.to_string(),
        variant: variant.to_string(),
        cuped,
        control_users: control.n,
        users: treated.n,
        control_mean: f(control.mean()),
        mean: f(treated.mean()),
        relative_lift: f(c.estimate),
        ci_low: f(c.ci_low),
        ci_high: f(c.ci_high),
        p_value: finite_or(c.p_value, 1.0),
        p_value_adjusted: finite_or(c.p_value, 1.0),
        chance_to_win: finite_or(c.chance_to_win, 0.5),
        risk: f(c.risk_variant),
        risk_control: f(c.risk_control),
        absolute_difference: f(absolute.estimate),
        absolute_ci_low: f(absolute.ci_low),
        absolute_ci_high: f(absolute.ci_high),
        theta: theta.map(f),
        variance_reduction: None,
        degenerate: c.degenerate,
        significant: false,
    }
}

/// Adjusts the p-values of one family (the plain results, or the CUPED ones) and marks the
/// significant results.
fn correct(results: &mut [MetricResult], correction: Correction, alpha: f64) {
    let p: Vec<f64> = results.iter().map(|r| r.p_value).collect();
    let adjusted = match correction {
        Correction::None => p,
        Correction::Holm => holm(&p),
        Correction::Bh => crate::stats::benjamini_hochberg(&p),
    };
    for (r, q) in results.iter_mut().zip(adjusted) {
        r.p_value_adjusted = finite_or(q, 1.0).clamp(0.0, 1.0);
        r.significant = r.degenerate.is_none() && r.p_value_adjusted < alpha;
    }
}

/// The effect of every variant in every segment of every dimension, on one metric; segments in
/// label order, variants in group order. Customers not in the transactions form their own row.
fn segment_uplift(
    data: &ExperimentData,
    values: &[f64],
    kind: MetricKind,
    settings: &TestSettings,
    dimensions: &[SegmentInput],
) -> Vec<SegmentUplift> {
    let groups = data.groups.len();
    let mut out = Vec::new();
    for dim in dimensions {
        let slots = dim.labels.len() + 1;
        let mut moments = vec![vec![Moments::default(); groups]; slots];
        for ((g, v), c) in data.group_of.iter().zip(values).zip(&data.customer) {
            if v.is_nan() {
                continue;
            }
            let slot = match c.and_then(|c| dim.of_customer.get(c as usize).copied().flatten()) {
                Some(label) => label as usize,
                None if c.is_none() => dim.labels.len(),
                None => continue,
            };
            if let Some(m) = moments
                .get_mut(slot)
                .and_then(|s| s.get_mut(usize::from(*g)))
            {
                m.push(*v);
            }
        }
        for (slot, arms) in moments.iter().enumerate() {
            let label = dim
                .labels
                .get(slot)
                .cloned()
                .unwrap_or(SegmentLabel::NotInTransactions);
            let Some(c) = arms.first() else { continue };
            if arms.iter().all(|m| m.n == 0) {
                continue;
            }
            for (g, v) in arms.iter().enumerate().skip(1) {
                let cmp = compare(&Arm::plain(c, kind), &Arm::plain(v, kind), settings);
                out.push(SegmentUplift {
                    dimension: dim.dimension,
                    segment: label.clone(),
                    variant: data.groups.get(g).cloned().unwrap_or_default(),
                    control_users: c.n,
                    users: v.n,
                    control_mean: finite_or(c.mean(), 0.0),
                    mean: finite_or(v.mean(), 0.0),
                    lift: finite_or(cmp.estimate, 0.0),
                    ci_low: finite_or(cmp.ci_low, 0.0),
                    ci_high: finite_or(cmp.ci_high, 0.0),
                    p_value: finite_or(cmp.p_value, 1.0),
                    small: c.n < SMALL_SEGMENT_USERS || v.n < SMALL_SEGMENT_USERS,
                    degenerate: cmp.degenerate,
                });
            }
        }
    }
    out
}

/// Scales each variant's plain absolute differences to its customers: the conversion metric is
/// the first binomial metric, the revenue metric the first metric named revenue (else the first
/// mean metric).
fn roi_card(
    data: &ExperimentData,
    plain: &[MetricResult],
    users: &[u64],
    roi: RoiParams,
) -> RoiReport {
    let conversion = data
        .metrics
        .iter()
        .find(|m| m.kind == MetricKind::Binomial)
        .map(|m| m.name.clone());
    let revenue = data
        .metrics
        .iter()
        .find(|m| m.kind == MetricKind::Mean && is_revenue(&m.name))
        .or_else(|| {
            data.metrics
                .iter()
                .find(|m| m.kind == MetricKind::Mean && m.name != "orders")
        })
        .map(|m| m.name.clone());
    let margin = roi.margin_percent / 100.0;
    let variants = data
        .groups
        .iter()
        .enumerate()
        .skip(1)
        .map(|(g, variant)| {
            let contacted = users.get(g).copied().unwrap_or(0);
            let n = contacted as f64;
            let cost = n * roi.cost_per_contact + roi.fixed_cost;
            let find = |metric: &Option<String>| {
                metric.as_ref().and_then(|m| {
                    plain
                        .iter()
                        .find(|r| &r.metric == m && &r.variant == variant && r.degenerate.is_none())
                })
            };
            let scaled = |r: &MetricResult, k: f64| Estimate {
                value: r.absolute_difference * k,
                low: r.absolute_ci_low * k,
                high: r.absolute_ci_high * k,
            };
            let conv = find(&conversion);
            let incremental_conversions = conv.map(|r| scaled(r, n));
            let incremental_revenue = find(&revenue).map(|r| scaled(r, n));
            let incremental_profit = incremental_revenue.map(|e| Estimate {
                value: e.value * margin - cost,
                low: e.low * margin - cost,
                high: e.high * margin - cost,
            });
            let roi_estimate = incremental_profit.filter(|_| cost > 0.0).map(|e| Estimate {
                value: e.value / cost,
                low: e.low / cost,
                high: e.high / cost,
            });
            let conversions = conv.map(|r| r.mean * n);
            RoiVariant {
                variant: variant.clone(),
                contacted,
                cost,
                incremental_conversions,
                incremental_revenue,
                incremental_profit,
                roi: roi_estimate,
                cost_per_conversion: conversions.filter(|c| *c > 0.0).map(|c| cost / c),
                cost_per_incremental_conversion: incremental_conversions
                    .filter(|e| e.value > 0.0)
                    .map(|e| cost / e.value),
            }
        })
        .collect();
    RoiReport {
        conversion_metric: conversion,
        revenue_metric: revenue,
        variants,
    }
}

fn is_revenue(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "revenue", "sales", "amount", "spend", "gmv", "收入", "金额", "销售",
    ]
    .iter()
    .any(|w| lower.contains(w))
}
